-- A topic is completed once per nurse: the row is written in the transaction
-- that queues her congratulation SMS, so she gets it once.
CREATE TABLE topic_completions (
    worker_id    BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    topic        TEXT NOT NULL,
    completed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (worker_id, topic)
);
