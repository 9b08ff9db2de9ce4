-- Which recent owner edits each editor has marked as seen, so that the
-- review queue shows every editor what is new to them.
CREATE TABLE edits_seen (
    user_id   TEXT NOT NULL REFERENCES users(id),
    entry_id  INTEGER NOT NULL REFERENCES audit_log(id),
    seen_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, entry_id)
);
