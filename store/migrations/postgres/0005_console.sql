-- Console sessions: the cookie carries a random id, the table keeps only its
-- SHA-256, so a copy of the database does not hand out logged-in sessions.
CREATE TABLE console_sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,                   -- the token every POST form carries
    flash      TEXT NOT NULL DEFAULT '',        -- a message shown once on the next page
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX console_sessions_expires ON console_sessions (expires_at);
CREATE INDEX audit_log_user ON audit_log (user_id, created_at);
