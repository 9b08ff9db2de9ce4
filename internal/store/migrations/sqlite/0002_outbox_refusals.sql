-- An entry the index refused (a document it cannot take) is tried a few
-- times and then parked: kept, counted, and no longer in every batch.
ALTER TABLE outbox ADD COLUMN refusals INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_refusals ON outbox (refusals, id);
