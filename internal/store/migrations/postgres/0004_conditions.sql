-- A listing's repair conditions (JSON listing.Conditions; {} when nothing
-- is known).
ALTER TABLE listings ADD COLUMN conditions TEXT COLLATE "C" NOT NULL DEFAULT '{}';
