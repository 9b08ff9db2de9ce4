-- The kind of place (listing.Kinds): a repair business unless it says
-- otherwise.
ALTER TABLE listings ADD COLUMN kind TEXT COLLATE "C" NOT NULL DEFAULT 'repair';
