-- What the last register check found for each listing's organisation
-- number: the data-quality panel's "register match" is a number the
-- register knows, alive, for this listing (not merely a number typed).
CREATE TABLE register_matches (
    listing_id  TEXT PRIMARY KEY REFERENCES listings(id),
    org_number  TEXT NOT NULL,
    outcome     TEXT NOT NULL, -- match | not_found | closed
    checked_at  TEXT NOT NULL
);
