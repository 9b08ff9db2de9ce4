-- Where each public field's value came from (JSON: field -> {source, at,
-- by}), and the values the municipality checked when it last verified
-- the listing (JSON: field -> value). Existing listings get their
-- provenance from the audit log when the store opens (backfillProvenance).
ALTER TABLE listings ADD COLUMN provenance TEXT NOT NULL DEFAULT '{}';
ALTER TABLE listings ADD COLUMN verified_fields TEXT NOT NULL DEFAULT '{}';

-- Proposed changes to a listing's fields, from imports (a value that
-- differs from one people set), the public and automatic checks. The same
-- proposal (listing, field, value, source) is never raised twice.
CREATE TABLE suggestions (
    id          TEXT PRIMARY KEY,
    listing_id  TEXT NOT NULL REFERENCES listings(id),
    field       TEXT NOT NULL,
    current     TEXT NOT NULL, -- the value when it was raised
    proposed    TEXT NOT NULL,
    source      TEXT NOT NULL,
    evidence    TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    decided_at  TEXT,
    decided_by  TEXT NOT NULL DEFAULT '',
    decision    TEXT NOT NULL DEFAULT '', -- accepted | rejected
    reason      TEXT NOT NULL DEFAULT '',
    UNIQUE (listing_id, field, proposed, source)
);
CREATE INDEX suggestions_open ON suggestions (decided_at, created_at);
