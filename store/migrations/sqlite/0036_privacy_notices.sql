-- The privacy notice of a worker enrolled from a roster (design.md "Privacy
-- and consent"): due when the roster creates her, notice_at when the SMS
-- was queued in her language (outbox dedupe key privacy:<worker_id>).
CREATE TABLE privacy_notices (
    worker_id BIGINT PRIMARY KEY REFERENCES workers (id) ON DELETE CASCADE,
    due_at    TIMESTAMP NOT NULL,
    notice_at TIMESTAMP
);
CREATE INDEX privacy_notices_due ON privacy_notices (due_at) WHERE notice_at IS NULL;
