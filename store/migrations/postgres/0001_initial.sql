-- The first schema: everything design.md's "Records and reports" lists.
-- Times are stored in UTC; the service converts to CHANJO_TZ for people.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE facilities (
    id         BIGSERIAL PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,            -- Kenya Master Facility List code
    name       TEXT NOT NULL DEFAULT '',
    sub_county TEXT NOT NULL DEFAULT '',
    county     TEXT NOT NULL DEFAULT '',
    verified   BOOLEAN NOT NULL DEFAULT TRUE,   -- false: typed at registration, unknown to the roster
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX facilities_sub_county ON facilities (sub_county);

CREATE TABLE workers (
    id           BIGSERIAL PRIMARY KEY,
    phone        TEXT NOT NULL UNIQUE,          -- +254...
    name         TEXT NOT NULL,
    role         TEXT NOT NULL DEFAULT 'nurse' CHECK (role IN ('nurse', 'mentor')),
    language     TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'sw')),
    facility_id  BIGINT REFERENCES facilities (id),
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'inactive')),
    opted_out    BOOLEAN NOT NULL DEFAULT FALSE,
    opted_out_at TIMESTAMPTZ,
    last_dial_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX workers_facility ON workers (facility_id);

CREATE TABLE groups (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE group_members (
    group_id  BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    worker_id BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, worker_id)
);
CREATE INDEX group_members_worker ON group_members (worker_id);

CREATE TABLE mentor_pairs (
    mentor_id  BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    mentee_id  BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (mentor_id, mentee_id)
);
CREATE INDEX mentor_pairs_mentee ON mentor_pairs (mentee_id);

CREATE TABLE visits (
    id           BIGSERIAL PRIMARY KEY,
    mentor_id    BIGINT NOT NULL REFERENCES workers (id),
    mentee_id    BIGINT NOT NULL REFERENCES workers (id),
    scheduled_at TIMESTAMPTZ NOT NULL,
    status       TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'done', 'cancelled')),
    done_at      TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX visits_mentor ON visits (mentor_id, scheduled_at);
CREATE INDEX visits_mentee ON visits (mentee_id, scheduled_at);

CREATE TABLE checklist_answers (
    visit_id    BIGINT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    item_id     TEXT NOT NULL,                  -- a checklist item id of the content pack
    answer      TEXT NOT NULL CHECK (answer IN ('done', 'partly', 'not_done')),
    answered_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (visit_id, item_id)
);

CREATE TABLE lesson_progress (
    worker_id    BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    lesson_id    TEXT NOT NULL,
    page         INTEGER NOT NULL DEFAULT 0,
    completed_at TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (worker_id, lesson_id)
);

CREATE TABLE quiz_attempts (
    id          BIGSERIAL PRIMARY KEY,
    worker_id   BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    form        TEXT NOT NULL CHECK (form IN ('practice', 'baseline', 'midline', 'endline')),
    topic       TEXT NOT NULL DEFAULT '',       -- '' for an assessment across all topics
    seed        BIGINT NOT NULL,                -- shuffles the options of this attempt
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    score       INTEGER NOT NULL DEFAULT 0,
    total       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX quiz_attempts_worker ON quiz_attempts (worker_id, form);
-- Each nurse takes each assessment once; practice quizzes repeat freely.
CREATE UNIQUE INDEX quiz_attempts_assessment_once ON quiz_attempts (worker_id, form) WHERE form <> 'practice';

CREATE TABLE quiz_answers (
    attempt_id  BIGINT NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    topic       TEXT NOT NULL,
    chosen      INTEGER NOT NULL,               -- index of the option in the content pack
    correct     BOOLEAN NOT NULL,
    answered_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (attempt_id, question_id)
);

CREATE TABLE assessment_windows (
    form       TEXT PRIMARY KEY CHECK (form IN ('baseline', 'midline', 'endline')),
    opens_at   TIMESTAMPTZ NOT NULL,
    closes_at  TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE stock_calculations (
    id          BIGSERIAL PRIMARY KEY,
    worker_id   BIGINT REFERENCES workers (id) ON DELETE SET NULL,
    facility_id BIGINT REFERENCES facilities (id) ON DELETE SET NULL,
    calculator  TEXT NOT NULL,
    inputs      TEXT NOT NULL,                  -- JSON
    result      TEXT NOT NULL,                  -- JSON
    status      TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX stock_calculations_facility ON stock_calculations (facility_id, created_at);

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'supervisor')),
    password_hash TEXT NOT NULL,
    phone         TEXT UNIQUE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE user_sub_counties (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sub_county TEXT NOT NULL,
    PRIMARY KEY (user_id, sub_county)
);

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);

CREATE TABLE broadcasts (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    audience    TEXT NOT NULL,                  -- JSON: sub-counties, facilities, groups, roles
    body        TEXT NOT NULL,
    urgent      BOOLEAN NOT NULL DEFAULT FALSE,
    send_at     TIMESTAMPTZ NOT NULL,
    recipients  INTEGER NOT NULL DEFAULT 0,
    segments    INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL
);

-- Every outgoing SMS is a row here first, written in the transaction of the
-- event that caused it; the dispatcher sends it later.
CREATE TABLE outbox (
    id             BIGSERIAL PRIMARY KEY,
    dedupe_key     TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('reply', 'nudge', 'broadcast')),
    priority       INTEGER NOT NULL,             -- lower goes first: replies, nudges, broadcasts
    urgent         BOOLEAN NOT NULL DEFAULT FALSE, -- sent during quiet hours
    phone          TEXT NOT NULL,
    body           TEXT NOT NULL,
    worker_id      BIGINT REFERENCES workers (id) ON DELETE SET NULL,
    broadcast_id   BIGINT REFERENCES broadcasts (id) ON DELETE CASCADE,
    status         TEXT NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'sending', 'accepted', 'delivered', 'failed', 'suppressed')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    not_before     TIMESTAMPTZ NOT NULL,         -- earliest send time (quiet hours, schedules, backoff)
    lease_owner    TEXT,
    lease_until    TIMESTAMPTZ,
    segments       INTEGER NOT NULL DEFAULT 1,
    gateway_id     TEXT,
    gateway_status TEXT NOT NULL DEFAULT '',
    cost           DOUBLE PRECISION NOT NULL DEFAULT 0,
    currency       TEXT NOT NULL DEFAULT '',
    failure_reason TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    sent_at        TIMESTAMPTZ,
    delivered_at   TIMESTAMPTZ,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, priority, not_before);
CREATE INDEX outbox_gateway_id ON outbox (gateway_id);
CREATE INDEX outbox_broadcast ON outbox (broadcast_id, status);

CREATE TABLE inbound_sms (
    id          BIGSERIAL PRIMARY KEY,
    gateway_id  TEXT NOT NULL UNIQUE,           -- the gateway's id: incoming SMS are idempotent on it
    phone       TEXT NOT NULL,
    to_code     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    link_id     TEXT NOT NULL DEFAULT '',
    worker_id   BIGINT REFERENCES workers (id) ON DELETE SET NULL,
    handled_as  TEXT NOT NULL DEFAULT '',
    sent_at     TIMESTAMPTZ NOT NULL,
    received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX inbound_sms_phone ON inbound_sms (phone, received_at);

-- Ask a mentor: a nurse's question and the answer relayed back.
CREATE TABLE questions (
    id           BIGSERIAL PRIMARY KEY,
    worker_id    BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    body         TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('ussd', 'sms')),
    asked_at     TIMESTAMPTZ NOT NULL,
    answer       TEXT NOT NULL DEFAULT '',
    answered_by  BIGINT REFERENCES workers (id) ON DELETE SET NULL,
    answered_at  TIMESTAMPTZ,
    escalated_at TIMESTAMPTZ
);
CREATE INDEX questions_worker ON questions (worker_id, asked_at);

-- Scheduled nudges; the unique key makes each (worker, rule, anchor) fire once.
CREATE TABLE reminders (
    id         BIGSERIAL PRIMARY KEY,
    worker_id  BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    rule       TEXT NOT NULL,
    anchor     TEXT NOT NULL,
    due_at     TIMESTAMPTZ NOT NULL,
    status     TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sent', 'dropped', 'cancelled')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (worker_id, rule, anchor)
);
CREATE INDEX reminders_due ON reminders (status, due_at);

CREATE TABLE ussd_sessions (
    session_id   TEXT PRIMARY KEY,
    phone        TEXT NOT NULL,
    status       TEXT NOT NULL,
    hops         INTEGER NOT NULL DEFAULT 0,
    duration_ms  BIGINT NOT NULL DEFAULT 0,
    input        TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT '',
    ended_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX ussd_sessions_phone ON ussd_sessions (phone, ended_at);

CREATE TABLE audit_log (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);
