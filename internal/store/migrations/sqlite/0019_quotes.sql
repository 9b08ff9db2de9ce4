-- Quote requests on the European Repair Information Form (package quote).
-- Tokens are kept as their hashes; a request is deleted at delete_after.
CREATE TABLE quote_requests (
    id               TEXT PRIMARY KEY,
    listing_id       TEXT NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
    district         TEXT NOT NULL,
    category         TEXT NOT NULL,
    brand            TEXT NOT NULL DEFAULT '',
    model            TEXT NOT NULL DEFAULT '',
    fault            TEXT NOT NULL,
    purchase_year    INTEGER NOT NULL DEFAULT 0,
    email            TEXT NOT NULL,
    lang             TEXT NOT NULL,
    status           TEXT NOT NULL,
    confirm_hash     TEXT UNIQUE,
    repairer_hash    TEXT UNIQUE,
    resident_hash    TEXT UNIQUE,
    repairer_expires TEXT,
    answer           TEXT NOT NULL DEFAULT '',  -- JSON quote.Answer
    decline          TEXT NOT NULL DEFAULT '',  -- JSON quote.Decline
    mail_due         TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    confirmed_at     TEXT,
    closed_at        TEXT,
    delete_after     TEXT NOT NULL
);
CREATE INDEX quote_requests_listing ON quote_requests (listing_id, confirmed_at);
CREATE INDEX quote_requests_status ON quote_requests (status, repairer_expires);
CREATE INDEX quote_requests_delete ON quote_requests (delete_after);
CREATE INDEX quote_requests_mail ON quote_requests (mail_due) WHERE mail_due <> '';

-- What the statistics keep of a closed request: no address, no text, no
-- listing.
CREATE TABLE quote_outcomes (
    id                INTEGER PRIMARY KEY,
    month             TEXT NOT NULL,
    category          TEXT NOT NULL,
    district          TEXT NOT NULL,
    outcome           TEXT NOT NULL,
    minutes_to_answer INTEGER,
    price_nok         INTEGER,
    decline_reason    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX quote_outcomes_month ON quote_outcomes (month);
