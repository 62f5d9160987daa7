-- Counts of outgoing SMS kept beside the outbox, so that the broadcast list
-- and the dashboard read a few counter rows instead of aggregating millions
-- of outbox rows, and so that old outbox rows can be removed (retention)
-- without changing any total.
--
-- Each row of the outbox counts in the bucket of its key: its broadcast and
-- sub-county (broadcast_counts), its UTC day of creation, kind, sub-county,
-- status, whether it was sent and its currency (sms_daily). A status is a
-- plain key value: a new status needs no change here.
--
-- The sub-county is the recipient's when the SMS was queued, kept on the
-- row, so a nurse who moves later does not move her old SMS between counts.
ALTER TABLE outbox ADD COLUMN sub_county TEXT;
UPDATE outbox SET sub_county = COALESCE(
    (SELECT f.sub_county FROM workers w JOIN facilities f ON f.id = w.facility_id WHERE w.id = outbox.worker_id), '');

CREATE TABLE broadcast_counts (
    broadcast_id BIGINT NOT NULL,
    sub_county   TEXT NOT NULL,
    status       TEXT NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (broadcast_id, sub_county, status)
);
-- A supervisor's broadcast list: the broadcasts with SMS in her sub-counties.
CREATE INDEX broadcast_counts_sub_county ON broadcast_counts (sub_county, broadcast_id);

CREATE TABLE sms_daily (
    day        TEXT NOT NULL,                   -- YYYY-MM-DD of created_at, UTC
    kind       TEXT NOT NULL,
    sub_county TEXT NOT NULL,                   -- '' for numbers that are no worker's
    status     TEXT NOT NULL,
    sent       BOOLEAN NOT NULL,                -- sent_at is set: the gateway took it
    currency   TEXT NOT NULL,
    n          BIGINT NOT NULL,
    cost       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (day, kind, sub_county, status, sent, currency)
);

-- On PostgreSQL the triggers only append changes here; FoldSMSCounts moves
-- them into the two tables above. Every dispatcher finishing a batch would
-- otherwise update the same few counter rows and wait on each other's row
-- locks (and could deadlock on two sub-counties taken in opposite orders).
-- Readers add the rows not yet folded, so counts are exact at any time.
CREATE TABLE sms_count_deltas (
    id           BIGSERIAL PRIMARY KEY,
    broadcast_id BIGINT,
    day          TEXT NOT NULL,
    kind         TEXT NOT NULL,
    sub_county   TEXT NOT NULL,
    status       TEXT NOT NULL,
    sent         BOOLEAN NOT NULL,
    currency     TEXT NOT NULL,
    n            BIGINT NOT NULL,
    cost         DOUBLE PRECISION NOT NULL
);

INSERT INTO sms_count_deltas (broadcast_id, day, kind, sub_county, status, sent, currency, n, cost)
SELECT broadcast_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), kind, COALESCE(sub_county, ''), status,
    sent_at IS NOT NULL, currency, COUNT(*), SUM(cost)
FROM outbox GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- Statement triggers with transition tables: one INSERT of grouped deltas
-- per statement (a Finish of 100 results writes a row or two), not one per
-- outbox row.
CREATE FUNCTION outbox_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sms_count_deltas (broadcast_id, day, kind, sub_county, status, sent, currency, n, cost)
    SELECT broadcast_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), kind, COALESCE(sub_county, ''), status,
        sent_at IS NOT NULL, currency, COUNT(*), SUM(cost)
    FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6, 7;
    RETURN NULL;
END $$;

CREATE TRIGGER outbox_count_insert AFTER INSERT ON outbox
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outbox_count_insert();

-- An update moves a row from its old bucket to its new one. A claim, which
-- changes only the lease, joins its rows and writes nothing.
CREATE FUNCTION outbox_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sms_count_deltas (broadcast_id, day, kind, sub_county, status, sent, currency, n, cost)
    SELECT broadcast_id, day, kind, sub_county, status, sent, currency, SUM(n), SUM(cost)
    FROM (
        SELECT o.broadcast_id, to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, o.kind,
            COALESCE(o.sub_county, '') AS sub_county, o.status, o.sent_at IS NOT NULL AS sent, o.currency,
            -1 AS n, -o.cost AS cost
        FROM old_rows o JOIN new_rows r ON r.id = o.id
        WHERE (o.status, o.sent_at IS NULL, o.currency, o.cost, o.sub_county, o.broadcast_id, o.kind, o.created_at)
            IS DISTINCT FROM (r.status, r.sent_at IS NULL, r.currency, r.cost, r.sub_county, r.broadcast_id, r.kind, r.created_at)
        UNION ALL
        SELECT r.broadcast_id, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), r.kind,
            COALESCE(r.sub_county, ''), r.status, r.sent_at IS NOT NULL, r.currency, 1, r.cost
        FROM old_rows o JOIN new_rows r ON r.id = o.id
        WHERE (o.status, o.sent_at IS NULL, o.currency, o.cost, o.sub_county, o.broadcast_id, o.kind, o.created_at)
            IS DISTINCT FROM (r.status, r.sent_at IS NULL, r.currency, r.cost, r.sub_county, r.broadcast_id, r.kind, r.created_at)
    ) d
    GROUP BY broadcast_id, day, kind, sub_county, status, sent, currency
    HAVING SUM(n) <> 0 OR SUM(cost) <> 0;
    RETURN NULL;
END $$;

CREATE TRIGGER outbox_count_update AFTER UPDATE ON outbox
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outbox_count_update();

-- No trigger on DELETE: removing old rows (retention) keeps their counts.

-- The dashboard reads the rows of the first, partial day of a month from
-- the outbox itself.
CREATE INDEX outbox_created ON outbox (created_at);
