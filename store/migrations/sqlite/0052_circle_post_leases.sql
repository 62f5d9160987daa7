-- Circle posts (0051) are leased to the process sending them, as the outbox's rows are: a post whose
-- sender died goes back to the queue (its heartbeat stops, or the lease runs out) instead of staying
-- 'sending' for ever. A retryable failure keeps the post queued until not_before (attempts so far);
-- 'sending' is no longer written, and a post left in it by the old code was in flight when its
-- process stopped: it is queued again.
ALTER TABLE circle_posts ADD COLUMN lease_owner TEXT;
ALTER TABLE circle_posts ADD COLUMN lease_until TIMESTAMP;
ALTER TABLE circle_posts ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE circle_posts ADD COLUMN not_before TIMESTAMP;
UPDATE circle_posts SET state = 'queued' WHERE state = 'sending';
CREATE INDEX circle_posts_lease ON circle_posts (lease_owner) WHERE lease_owner IS NOT NULL;
