-- When a listing was first published (a follow's "new repairer" is one
-- published since it last heard, however long it waited for verification).
-- Listings published before this column have their creation time.
ALTER TABLE listings ADD COLUMN published_at TEXT;
UPDATE listings SET published_at = created_at WHERE status = 'published';
CREATE INDEX listings_published_at ON listings (published_at);
