-- Login throttling, shared by every instance: one row per key (a source
-- address, an account, an account from one address). Each wrong try counts;
-- past a free number of them, the key waits until next_at, a delay that
-- doubles with each further failure. The account column (lower-case name,
-- empty for an address) lets an admin lift every key of one account at once.
-- It replaces the per-user lock (users.failed_logins, users.locked_until),
-- which was read before the hash and written after, and so could be raced.
CREATE TABLE login_throttle (
    key        TEXT PRIMARY KEY,
    account    TEXT NOT NULL DEFAULT '',
    failures   INTEGER NOT NULL DEFAULT 0,
    next_at    TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_throttle_account ON login_throttle (account);
CREATE INDEX login_throttle_updated ON login_throttle (updated_at);

ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;
