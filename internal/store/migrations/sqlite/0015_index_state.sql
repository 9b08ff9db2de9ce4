-- What the search index's documents were computed for: the open-times
-- format and the year whose following year's holidays they cover
-- ("week-v1:2026"), so that the refresh re-indexes once a year, not hourly.
CREATE TABLE index_state (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
