-- Idempotency keys of broadcasts (Idempotency-Key on the API, a one-time key
-- in the console's form): the same key from the same user within a day
-- returns the broadcast it created instead of sending a second one. The
-- request's hash tells a retry from a different broadcast under an old key.
CREATE TABLE broadcast_keys (
    user_id      BIGINT NOT NULL,               -- 0 for the command line
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    broadcast_id BIGINT REFERENCES broadcasts (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX broadcast_keys_created ON broadcast_keys (created_at);
