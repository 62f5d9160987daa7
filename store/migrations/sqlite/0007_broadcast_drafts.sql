-- A broadcast a supervisor asked for by SMS (BC ...), waiting for her YES.
-- It lives here, not in memory, so that the YES may reach another instance
-- or come after a restart. One draft per user: a new BC replaces it.
CREATE TABLE broadcast_drafts (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    audience   TEXT NOT NULL,                   -- JSON, as broadcasts.audience
    body       TEXT NOT NULL,
    recipients INTEGER NOT NULL,                -- the count her reply showed
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
