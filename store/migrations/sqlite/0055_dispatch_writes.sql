-- Dispatch writes less per message (issue 12): the broadcast index keeps only the rows something
-- reads it for, a broadcast's queued rows (cancel, "sending") and its failed ones (the failed list
-- and resend, sqlFailedStatuses in store/broadcasts_failed.go), so a message that goes out leaves it
-- instead of moving its entry. (PostgreSQL's claim also stops running the count trigger; SQLite's
-- trigger names its columns and never fired on a claim.)
DROP INDEX outbox_broadcast;
CREATE INDEX outbox_broadcast ON outbox (broadcast_id, status)
    WHERE status IN ('queued', 'failed', 'expired', 'not_sent_no_gateway');
