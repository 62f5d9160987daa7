-- Gateway faults (issue 12): three new final outbox statuses, the pause of a
-- whole channel when the gateway refuses the account, and the opt-out record
-- every channel shares.
--
-- unconfirmed: the gateway answered 2xx but the answer could not be read; the
--   message was probably sent and is never sent again.
-- expired: a retryable failure (or a pause) outlasted the message's horizon;
--   failure_reason keeps the last reason.
-- not_sent_no_gateway: no gateway was configured; the message never left.
--
-- SQLite cannot alter a CHECK constraint; widening one changes nothing stored,
-- so the table's SQL is edited in place (sqlite.org/lang_altertable.html,
-- "making other kinds of table schema changes"), which keeps every column and
-- index whatever other migrations added. RESET reloads this connection's
-- schema; the CREATE TABLE below bumps the schema cookie, so every other
-- connection reloads it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, '''suppressed''))', '''suppressed'', ''unconfirmed'', ''expired'', ''not_sent_no_gateway''))')
WHERE type = 'table' AND name = 'outbox';
PRAGMA writable_schema = RESET;

-- One row while sending on a channel ('sms'; 'whatsapp' later) is paused for
-- every instance because the gateway refused the account.
CREATE TABLE channel_pause (
    channel  TEXT PRIMARY KEY,
    reason   TEXT NOT NULL,                     -- the gateway's words
    began_at TIMESTAMP NOT NULL,
    probe_at TIMESTAMP NOT NULL                 -- when the next probe may go
);

-- Why and how each number opted out, whatever the channel. The flags the
-- dispatcher reads (workers.opted_out, sms_optouts) are written with it.
CREATE TABLE opt_outs (
    phone        TEXT PRIMARY KEY,
    worker_id    BIGINT REFERENCES workers (id) ON DELETE SET NULL,
    channel      TEXT NOT NULL,                 -- sms | whatsapp
    reason       TEXT NOT NULL
                 CHECK (reason IN ('keyword', 'gateway_blacklist', 'gateway_callback', 'whatsapp')),
    detail       TEXT NOT NULL DEFAULT '',      -- e.g. the gateway's status or sender id
    opted_out_at TIMESTAMP NOT NULL
);

INSERT INTO opt_outs (phone, channel, reason, detail, opted_out_at)
SELECT phone, 'sms', CASE source WHEN 'keyword' THEN 'keyword' ELSE 'gateway_callback' END, '', opted_out_at
FROM sms_optouts;
INSERT INTO opt_outs (phone, worker_id, channel, reason, detail, opted_out_at)
SELECT phone, id, 'sms', 'keyword', 'recorded before reasons were kept', COALESCE(opted_out_at, updated_at)
FROM workers WHERE opted_out
ON CONFLICT (phone) DO NOTHING;
