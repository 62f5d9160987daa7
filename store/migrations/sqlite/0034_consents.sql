-- When a worker agreed to what Chanjo keeps about her, and where (issue 19;
-- design.md "Privacy and consent"): "ussd" for the registration screen.
CREATE TABLE worker_consents (
    worker_id BIGINT PRIMARY KEY REFERENCES workers (id) ON DELETE CASCADE,
    via       TEXT NOT NULL,
    given_at  TIMESTAMP NOT NULL
);
