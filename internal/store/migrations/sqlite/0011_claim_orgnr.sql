-- The organisation number a claimant gives, checked against the business
-- register when they claim; approving the claim writes it to a listing
-- that has none (a claimed OpenStreetMap listing).
ALTER TABLE claims ADD COLUMN org_number TEXT NOT NULL DEFAULT '';
