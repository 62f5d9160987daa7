-- Peer groups that join SMS and WhatsApp (issue 18). A member's message to her group is kept once
-- (group_messages, unique by the SMS or WhatsApp message it came in) and queued to every other
-- member in the same transaction, one outbox row each on her channel, linked back by
-- group_message_id so a mentor can withdraw the copies not yet sent. Relaying is on by default for
-- groups of up to 30 members ('auto'); the supervisor sets 'on' or 'off'. A mentor mutes a member
-- for a day (muted_until).
ALTER TABLE groups ADD COLUMN relay TEXT NOT NULL DEFAULT 'auto' CHECK (relay IN ('auto', 'on', 'off'));
ALTER TABLE group_members ADD COLUMN muted_until TIMESTAMP;

CREATE TABLE group_messages (
    id           INTEGER PRIMARY KEY,
    group_id     BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    sender_id    BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    body         TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('sms', 'whatsapp')),
    inbound_key  TEXT NOT NULL UNIQUE,
    recipients   INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP,
    withdrawn_by BIGINT REFERENCES workers (id) ON DELETE SET NULL
);
CREATE INDEX group_messages_group ON group_messages (group_id, created_at);

ALTER TABLE outbox ADD COLUMN group_message_id BIGINT REFERENCES group_messages (id) ON DELETE SET NULL;
CREATE INDEX outbox_group_message ON outbox (group_message_id) WHERE group_message_id IS NOT NULL;
