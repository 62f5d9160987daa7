-- Broadcasts can be cancelled until their SMS are claimed (issue 16): the
-- unclaimed rows take the final outbox status 'cancelled', which the
-- counters of 0018 count like any other status.
--
-- The CHECK is widened as in 0011, by editing the table's SQL in place. The
-- new status goes in after 'queued', at the start of the list, so that this
-- edit and another migration that appends a status at the end both apply,
-- whichever runs first.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, 'CHECK (status IN (''queued'', ', 'CHECK (status IN (''queued'', ''cancelled'', ')
WHERE type = 'table' AND name = 'outbox';
PRAGMA writable_schema = RESET;

-- When a broadcast was cancelled; NULL while it is not.
ALTER TABLE broadcasts ADD COLUMN cancelled_at TIMESTAMP;
