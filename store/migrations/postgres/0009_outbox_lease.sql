-- The outbox is written twice a message (the claim's lease, then the result),
-- so it keeps only the indexes something reads, and a claim touches none:
-- a row being sent stays 'queued' and only its lease columns change, which
-- PostgreSQL does as a HOT update (no index entry) when the row's page has
-- room for the new version.

-- Rows in flight become leased queued rows; their lease holds until it
-- expires or their dispatcher releases it.
UPDATE outbox SET status = 'queued' WHERE status = 'sending';

-- Due rows only: a claim reads them in send order; sent rows leave the index.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (priority, not_before) WHERE status = 'queued';

-- Delivery reports look messages up by the gateway's id; unsent rows have none.
DROP INDEX outbox_gateway_id;
CREATE INDEX outbox_gateway_id ON outbox (gateway_id) WHERE gateway_id IS NOT NULL;

-- A lease is found by id or by a scan of the due rows (Release, rare); an
-- index on it would make every claim write index entries.
DROP INDEX outbox_lease;

-- New pages are filled to half, so that every row's claim finds room for its
-- new version on the same page (a HOT update).
ALTER TABLE outbox SET (fillfactor = 50);
