-- Numbers that opted out of nudges and broadcasts but are not health
-- workers (a worker's opt-out lives in workers.opted_out).
CREATE TABLE sms_optouts (
    phone        TEXT PRIMARY KEY,
    source       TEXT NOT NULL,                 -- keyword | gateway
    opted_out_at TIMESTAMP NOT NULL
);

-- The dispatcher finds rows of a lease it holds without scanning the queue.
CREATE INDEX outbox_lease ON outbox (lease_owner) WHERE lease_owner IS NOT NULL;
