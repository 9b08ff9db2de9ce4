-- Error reports from the public ("Meld fra om feil"), read by the
-- municipality. No IP address or other identity of the reporter is kept.
CREATE TABLE reports (
    id          TEXT PRIMARY KEY,
    listing_id  TEXT NOT NULL REFERENCES listings(id),
    reason      TEXT NOT NULL,
    message     TEXT NOT NULL,
    email       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    handled_at  TEXT
);
CREATE INDEX reports_open ON reports (handled_at, created_at);
