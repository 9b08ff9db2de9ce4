-- The municipality's console.

-- Why a write was made, in the writer's words (a reason for hiding or
-- rejecting, the entry a revert undid). Adding a column fires no trigger.
ALTER TABLE audit_log ADD COLUMN note TEXT NOT NULL DEFAULT '';

-- Who closed an error report, and when (handled_at is in 0003).
ALTER TABLE reports ADD COLUMN handled_by TEXT NOT NULL DEFAULT '';

-- Uploaded import files, kept between the preview and the confirmation
-- so that what is written is exactly what was previewed.
CREATE TABLE imports (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('csv', 'geojson')),
    filename    TEXT NOT NULL,
    body        BLOB NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    applied_at  TEXT
);

-- Visits from the QR code on a listing's sticker, counted per day.
CREATE TABLE qr_scans (
    listing_id TEXT NOT NULL,
    day        TEXT NOT NULL,
    count      INTEGER NOT NULL,
    PRIMARY KEY (listing_id, day)
);

-- Searches that found nothing, as daily counts per normalised query,
-- district and category. No address, id or time of day is kept, and a
-- query reaches this table only once it was seen three times that day.
CREATE TABLE missed_searches (
    day      TEXT NOT NULL,
    query    TEXT NOT NULL,
    district TEXT NOT NULL,
    category TEXT NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (day, query, district, category)
);
