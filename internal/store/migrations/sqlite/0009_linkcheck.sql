-- What the weekly website checks know: the URL checked, when, and how many
-- checks in a row have failed.
CREATE TABLE link_checks (
    listing_id  TEXT PRIMARY KEY REFERENCES listings(id),
    url         TEXT NOT NULL,
    checked_at  TEXT NOT NULL,
    failures    INTEGER NOT NULL,
    last_error  TEXT NOT NULL DEFAULT ''
);
