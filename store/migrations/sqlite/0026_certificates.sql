-- A completion certificate per nurse and topic (issue 14), issued with the
-- congratulation SMS; anyone may check its code at /verify/CODE.
CREATE TABLE certificates (
    code      TEXT PRIMARY KEY,
    worker_id BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    topic     TEXT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    UNIQUE (worker_id, topic)
);
