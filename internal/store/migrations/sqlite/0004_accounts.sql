-- People who sign in: repairers (owner) and the municipality (admin).
-- An account is made the first time its address spends a sign-in link.
CREATE TABLE users (
    id         TEXT PRIMARY KEY,
    email      TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('owner', 'admin')),
    created_at TEXT NOT NULL
);

-- Sign-in links. Only a hash of the token is kept; a link is spent once.
CREATE TABLE login_tokens (
    token_hash TEXT PRIMARY KEY,
    email      TEXT NOT NULL,
    next       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX login_tokens_expires ON login_tokens (expires_at);

-- Server-side sessions, keyed by a hash of the cookie's random id.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Who may edit a listing.
CREATE TABLE listing_owners (
    listing_id TEXT NOT NULL REFERENCES listings(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    since      TEXT NOT NULL,
    PRIMARY KEY (listing_id, user_id)
);
CREATE INDEX listing_owners_user ON listing_owners (user_id);

-- "Er dette din bedrift?": a request to become an owner.
CREATE TABLE claims (
    id            TEXT PRIMARY KEY,
    listing_id    TEXT NOT NULL REFERENCES listings(id),
    user_id       TEXT NOT NULL REFERENCES users(id),
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by    TEXT NOT NULL DEFAULT '',
    decided_at    TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX claims_status ON claims (status, created_at);
CREATE UNIQUE INDEX claims_one_open ON claims (listing_id, user_id) WHERE status = 'pending';

-- Every write to a listing: who, when, which fields, before and after.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_id TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    at         TEXT NOT NULL,
    changes    TEXT NOT NULL -- JSON [{field, before, after}]
);
CREATE INDEX audit_log_listing ON audit_log (listing_id, id);
CREATE INDEX audit_log_at ON audit_log (at);
-- Append-only, enforced by the database itself.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- "Stemmer alt fortsatt?" e-mails: one row per listing and period, so a
-- period never gets two; sent_at is set once the mail is handed over.
CREATE TABLE reminders (
    id         TEXT PRIMARY KEY,
    listing_id TEXT NOT NULL REFERENCES listings(id),
    period     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at    TEXT,
    used_at    TEXT,
    UNIQUE (listing_id, period)
);

-- Keys the service makes for itself (e.g. the one that signs reminder links).
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
