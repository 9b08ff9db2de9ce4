-- Listings are the system of record; the search index is derived from them.
CREATE TABLE listings (
    id                     TEXT PRIMARY KEY,
    slug                   TEXT NOT NULL UNIQUE,
    name                   TEXT NOT NULL,
    org_number             TEXT NOT NULL DEFAULT '',
    categories             TEXT NOT NULL,            -- JSON array of category slugs
    services               TEXT NOT NULL,            -- JSON array of keywords
    description_nb         TEXT NOT NULL DEFAULT '',
    description_en         TEXT NOT NULL DEFAULT '',
    street                 TEXT NOT NULL DEFAULT '',
    postcode               TEXT NOT NULL DEFAULT '',
    city                   TEXT NOT NULL DEFAULT '',
    lat                    REAL NOT NULL,
    lng                    REAL NOT NULL,
    district               TEXT NOT NULL,
    phone                  TEXT NOT NULL DEFAULT '',
    email                  TEXT NOT NULL DEFAULT '',
    website                TEXT NOT NULL DEFAULT '',
    opening_hours          TEXT NOT NULL,            -- JSON openinghours.Schedule
    price_info             TEXT NOT NULL DEFAULT '',
    price_from_nok         INTEGER,
    accepts_repair_voucher INTEGER NOT NULL DEFAULT 0,
    wheelchair_accessible  TEXT NOT NULL DEFAULT 'unknown',
    status                 TEXT NOT NULL CHECK (status IN ('pending', 'published', 'hidden')),
    hide_reason            TEXT NOT NULL DEFAULT '',
    verified_at            TEXT,
    verified_by            TEXT NOT NULL DEFAULT '',
    confirmed_at           TEXT,
    source_kind            TEXT NOT NULL,
    source_ref             TEXT NOT NULL DEFAULT '',
    source_attribution     TEXT NOT NULL DEFAULT '',
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    version                INTEGER NOT NULL
);

-- Re-import finds a listing by the record it came from.
CREATE UNIQUE INDEX listings_source ON listings (source_kind, source_ref) WHERE source_ref <> '';
CREATE INDEX listings_status ON listings (status);
CREATE INDEX listings_updated_at ON listings (updated_at);

-- The transactional outbox: a row per write, drained into the search index.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
