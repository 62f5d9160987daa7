-- Real WhatsApp groups for mentor circles (issue 18, GROUPS_ENABLED): one Cloud API group per mentor
-- (circle_groups, unique by mentor, created once however often the console is clicked), each member's
-- join state as the group webhooks report it (circle_members), and the messages of SMS-only members
-- to be posted in the group (circle_posts, unique by the SMS they came in). Data only: the words
-- are the pack's.
CREATE TABLE circle_groups (
    id             INTEGER PRIMARY KEY,
    mentor_id      BIGINT NOT NULL UNIQUE REFERENCES workers (id) ON DELETE CASCADE,
    graph_group_id TEXT NOT NULL DEFAULT '',
    invite_link    TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL CHECK (state IN ('creating', 'active', 'failed')),
    failure        TEXT NOT NULL DEFAULT '',
    last_in_at     TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX circle_groups_graph ON circle_groups (graph_group_id) WHERE graph_group_id <> '';

CREATE TABLE circle_members (
    circle_id  BIGINT NOT NULL REFERENCES circle_groups (id) ON DELETE CASCADE,
    worker_id  BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    state      TEXT NOT NULL CHECK (state IN ('invited', 'joined', 'left', 'refused')),
    reason     TEXT NOT NULL DEFAULT '',
    changed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (circle_id, worker_id)
);

CREATE TABLE circle_posts (
    id         INTEGER PRIMARY KEY,
    circle_id  BIGINT NOT NULL REFERENCES circle_groups (id) ON DELETE CASCADE,
    sender_id  BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    state      TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    wamid      TEXT NOT NULL DEFAULT '',
    failure    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    sent_at    TIMESTAMP
);
CREATE INDEX circle_posts_queued ON circle_posts (id) WHERE state = 'queued';
