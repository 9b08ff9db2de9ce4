-- Tips from residents about repairers the directory does not know yet
-- ("Tips oss"), read by the municipality. No address or identity of the
-- sender is kept beyond the e-mail they chose to leave.
CREATE TABLE tips (
    id          TEXT PRIMARY KEY,
    category    TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL,
    place       TEXT NOT NULL,
    message     TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    handled_at  TEXT,
    handled_by  TEXT
);
CREATE INDEX tips_open ON tips (handled_at, created_at);

-- Missed searches now say why they found nothing: '' (other), 'closed'
-- (only the time filter emptied it), 'no_listings' (a category nobody
-- repairs here yet) or 'unknown_words'.
CREATE TABLE missed_searches_v2 (
    day      TEXT NOT NULL,
    query    TEXT NOT NULL,
    district TEXT NOT NULL,
    category TEXT NOT NULL,
    cause    TEXT NOT NULL DEFAULT '',
    count    INTEGER NOT NULL,
    PRIMARY KEY (day, query, district, category, cause)
);
INSERT INTO missed_searches_v2 (day, query, district, category, count)
    SELECT day, query, district, category, count FROM missed_searches;
DROP TABLE missed_searches;
ALTER TABLE missed_searches_v2 RENAME TO missed_searches;

-- Words the municipality adds to the search vocabulary, one group a row
-- (search/vocabulary.json's format); the built-in file stays as shipped.
CREATE TABLE vocabulary_groups (
    id          TEXT PRIMARY KEY,
    categories  TEXT NOT NULL, -- JSON array of category slugs
    kind        TEXT NOT NULL,
    terms       TEXT NOT NULL, -- JSON array of words
    added_by    TEXT NOT NULL,
    added_at    TEXT NOT NULL
);
