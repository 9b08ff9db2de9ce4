-- Quality marks: the labels and certifications the municipality keeps
-- (with an optional logo it uploads), and on each listing the ones it set
-- (JSON [{label, until}]) and whether the repair gift card is taken.
CREATE TABLE labels (
    slug        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    issuer      TEXT NOT NULL,
    url         TEXT NOT NULL DEFAULT '',
    criteria_nb TEXT NOT NULL DEFAULT '',
    criteria_en TEXT NOT NULL DEFAULT '',
    logo        BLOB,
    logo_type   TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
);
ALTER TABLE listings ADD COLUMN marks TEXT NOT NULL DEFAULT '[]';
ALTER TABLE listings ADD COLUMN accepts_gift_card INTEGER NOT NULL DEFAULT 0;
