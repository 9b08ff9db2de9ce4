-- Quality marks: the labels and certifications the municipality keeps
-- (with an optional logo it uploads), and on each listing the ones it set
-- (JSON [{label, until}]) and whether the repair gift card is taken.
CREATE TABLE labels (
    slug        TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT COLLATE "C" NOT NULL,
    issuer      TEXT COLLATE "C" NOT NULL,
    url         TEXT COLLATE "C" NOT NULL DEFAULT '',
    criteria_nb TEXT COLLATE "C" NOT NULL DEFAULT '',
    criteria_en TEXT COLLATE "C" NOT NULL DEFAULT '',
    logo        BYTEA,
    logo_type   TEXT COLLATE "C" NOT NULL DEFAULT '',
    updated_at  TEXT COLLATE "C" NOT NULL
);
ALTER TABLE listings ADD COLUMN marks TEXT COLLATE "C" NOT NULL DEFAULT '[]';
ALTER TABLE listings ADD COLUMN accepts_gift_card INTEGER NOT NULL DEFAULT 0;
