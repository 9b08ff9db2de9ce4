-- A listing's repair conditions (JSON listing.Conditions; {} when nothing
-- is known).
ALTER TABLE listings ADD COLUMN conditions TEXT NOT NULL DEFAULT '{}';
