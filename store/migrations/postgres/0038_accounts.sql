-- Accounts and tokens (issue 16): an admin disables a user instead of
-- deleting her (her audit rows keep her name), tokens may expire and are
-- revoked rather than deleted (the list shows when), and every audit row
-- says where the action came from: the client address, or "cli".
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMPTZ;
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
ALTER TABLE api_tokens ADD COLUMN revoked_at TIMESTAMPTZ;
ALTER TABLE audit_log ADD COLUMN source TEXT NOT NULL DEFAULT '';
