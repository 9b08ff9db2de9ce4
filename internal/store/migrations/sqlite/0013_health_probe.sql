-- Readiness writes (and deletes) a small row here: a full disk or a
-- read-only file refuses the write, and the service says so.
CREATE TABLE health_probe (
    id   INTEGER PRIMARY KEY,
    pad  BLOB NOT NULL
);
