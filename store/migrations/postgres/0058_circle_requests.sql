-- Meta creates a group asynchronously (whatsapp-api.md §5.3, §5.7): POST /{pnid}/groups answers with
-- a request id, and the group's id and invite link (or Meta's refusal) come in the group_create
-- webhook, which names that request. Each side writes its half of the request's row (circle_id from
-- the create's answer, the rest from the webhook), whichever comes first, so the second finds the
-- first: a webhook that overtakes the answer is not lost. A webhook naming a request no circle made
-- keeps its row, unused.
CREATE TABLE circle_requests (
    request_id  TEXT PRIMARY KEY,
    circle_id   BIGINT REFERENCES circle_groups (id) ON DELETE CASCADE,
    answered    BOOLEAN NOT NULL DEFAULT FALSE,
    group_id    TEXT NOT NULL DEFAULT '',
    invite_link TEXT NOT NULL DEFAULT '',
    failure     TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);

-- A post that failed for good may be posted again from the console, by the mentor's supervisor:
-- reposted_at is when (its retries are counted from then, not from her SMS).
ALTER TABLE circle_posts ADD COLUMN reposted_at TIMESTAMPTZ;

-- Strangers in a circle's group: a number that joined by the invite link (passed on) and is neither
-- the mentor nor a mentee, tracked from the participants webhooks, reported once to the mentor (when
-- the row is first written) and removable from the console.
CREATE TABLE circle_strangers (
    circle_id  BIGINT NOT NULL REFERENCES circle_groups (id) ON DELETE CASCADE,
    wa_id      TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('joined', 'left', 'removed')),
    changed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (circle_id, wa_id)
);

-- What a WhatsApp row's body holds, typed (the dispatcher switches on it): '' text, 'menu' a list
-- message or reply buttons (the screen as JSON), 'group_invite' the group-invite template (the
-- group's id). Neither has an SMS form. It replaces the body prefixes 'whatsapp-menu:' and
-- 'whatsapp-group-invite:', taken off the rows that carry them.
ALTER TABLE outbox ADD COLUMN wa_content TEXT NOT NULL DEFAULT '' CHECK (wa_content IN ('', 'menu', 'group_invite'));
UPDATE outbox SET wa_content = 'menu', body = substr(body, 15) WHERE body LIKE 'whatsapp-menu:%';
UPDATE outbox SET wa_content = 'group_invite', body = substr(body, 23) WHERE body LIKE 'whatsapp-group-invite:%';
