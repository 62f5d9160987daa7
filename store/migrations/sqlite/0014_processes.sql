-- Every running chanjo process has a row here, under an identity it draws at
-- random when it starts, and beats every few seconds. A process whose beat
-- stopped is dead: the others give its leases back to the queue and remove
-- its row. Leases name the process (lease_owner = processes.id).
CREATE TABLE processes (
    id           TEXT PRIMARY KEY,
    host         TEXT NOT NULL DEFAULT '',
    started_at   TIMESTAMP NOT NULL,
    heartbeat_at TIMESTAMP NOT NULL
);

-- Reminders and questions to escalate are claimed with a lease, as the
-- outbox is, so that instances share the work instead of racing for the same
-- rows. A settled row's lease is cleared, so the lease indexes hold only the
-- rows in flight.
ALTER TABLE reminders ADD COLUMN lease_owner TEXT;
ALTER TABLE reminders ADD COLUMN lease_until TIMESTAMP;
CREATE INDEX reminders_lease ON reminders (lease_owner) WHERE lease_owner IS NOT NULL;
ALTER TABLE questions ADD COLUMN lease_owner TEXT;
ALTER TABLE questions ADD COLUMN lease_until TIMESTAMP;
CREATE INDEX questions_lease ON questions (lease_owner) WHERE lease_owner IS NOT NULL;
