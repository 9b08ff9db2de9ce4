-- Which instance runs each background job now: a lease it renews while it
-- runs, that another takes over once it lapses (the holder died).
CREATE TABLE leases (
    name    TEXT PRIMARY KEY,
    holder  TEXT NOT NULL,
    until   INTEGER NOT NULL -- unix milliseconds
);
