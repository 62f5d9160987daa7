-- WhatsApp webhooks (issue 18). Every signed POST is kept raw in whatsapp_inbox before it is
-- answered 200 (Meta has no API for past webhooks), and applied afterwards. Inbound messages are
-- unique by wamid and statuses by the message they describe, so Meta's retries (up to 7 days) and
-- duplicates change nothing: these rows are kept, which makes the deduplication last as long.
CREATE TABLE whatsapp_inbox (
    id           INTEGER PRIMARY KEY,
    body         BLOB NOT NULL,
    received_at  TIMESTAMP NOT NULL,
    processed_at TIMESTAMP
);
CREATE INDEX whatsapp_inbox_pending ON whatsapp_inbox (id) WHERE processed_at IS NULL;

CREATE TABLE whatsapp_messages (
    wamid       TEXT PRIMARY KEY,
    phone       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    reply_id    TEXT NOT NULL,
    body        TEXT NOT NULL,
    sent_at     TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL,
    inbox_id    BIGINT NOT NULL REFERENCES whatsapp_inbox (id)
);

CREATE TABLE whatsapp_statuses (
    wamid      TEXT PRIMARY KEY,
    status     TEXT NOT NULL,
    rank       INTEGER NOT NULL,
    recipient  TEXT NOT NULL,
    opaque     TEXT NOT NULL,
    error_code INTEGER,
    status_at  TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
