-- Follows (package follow): an e-mail address that asked to hear of a
-- repair café's new sessions (listing_id) or of new repairers of a
-- category in a district. No tokens are kept: the links are signed.
CREATE TABLE follows (
    id           TEXT PRIMARY KEY,
    email        TEXT NOT NULL,
    lang         TEXT NOT NULL,
    listing_id   TEXT REFERENCES listings(id) ON DELETE CASCADE,
    category     TEXT NOT NULL DEFAULT '',
    district     TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    confirmed_at TEXT,
    since        TEXT NOT NULL,
    last_sent    TEXT
);
CREATE INDEX follows_email ON follows (email, created_at);
CREATE INDEX follows_confirmed ON follows (confirmed_at);
