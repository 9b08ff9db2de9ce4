-- A listing whose position is its postcode's centre (the address found no
-- exact match yet) says so, for the editor to set it.
ALTER TABLE listings ADD COLUMN approximate INTEGER NOT NULL DEFAULT 0;
