-- Counts of outgoing SMS kept beside the outbox, so that the broadcast list
-- and the dashboard read a few counter rows instead of aggregating the
-- outbox, and so that old outbox rows can be removed (retention) without
-- changing any total. See the PostgreSQL migration for the buckets.
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
    cost       REAL NOT NULL,
    PRIMARY KEY (day, kind, sub_county, status, sent, currency)
);

-- Used on PostgreSQL only, where many writers would wait on the counter
-- rows' locks; SQLite has one writer at a time, so its triggers update the
-- counters directly and this table stays empty. Readers read it on both.
CREATE TABLE sms_count_deltas (
    id           INTEGER PRIMARY KEY,
    broadcast_id BIGINT,
    day          TEXT NOT NULL,
    kind         TEXT NOT NULL,
    sub_county   TEXT NOT NULL,
    status       TEXT NOT NULL,
    sent         BOOLEAN NOT NULL,
    currency     TEXT NOT NULL,
    n            BIGINT NOT NULL,
    cost         REAL NOT NULL
);

INSERT INTO broadcast_counts (broadcast_id, sub_county, status, n)
SELECT broadcast_id, sub_county, status, COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL
GROUP BY broadcast_id, sub_county, status;

INSERT INTO sms_daily (day, kind, sub_county, status, sent, currency, n, cost)
SELECT date(created_at), kind, sub_county, status, sent_at IS NOT NULL, currency, COUNT(*), SUM(cost)
FROM outbox GROUP BY 1, 2, 3, 4, 5, 6;

-- (The SELECTs below carry WHERE clauses so that SQLite reads ON CONFLICT
-- as the upsert, not as a join's ON.)
CREATE TRIGGER outbox_count_insert AFTER INSERT ON outbox BEGIN
    INSERT INTO broadcast_counts (broadcast_id, sub_county, status, n)
    SELECT NEW.broadcast_id, COALESCE(NEW.sub_county, ''), NEW.status, 1 WHERE NEW.broadcast_id IS NOT NULL
    ON CONFLICT (broadcast_id, sub_county, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO sms_daily (day, kind, sub_county, status, sent, currency, n, cost)
    SELECT date(NEW.created_at), NEW.kind, COALESCE(NEW.sub_county, ''), NEW.status, NEW.sent_at IS NOT NULL,
        NEW.currency, 1, NEW.cost WHERE 1
    ON CONFLICT (day, kind, sub_county, status, sent, currency) DO UPDATE SET n = n + excluded.n, cost = cost + excluded.cost;
END;

-- An update moves a row from its old bucket to its new one. A claim sets
-- only the lease columns, which the column list leaves out.
CREATE TRIGGER outbox_count_update
AFTER UPDATE OF status, sent_at, currency, cost, sub_county, broadcast_id, kind, created_at ON outbox
WHEN (OLD.status, OLD.sent_at IS NULL, OLD.currency, OLD.cost, OLD.sub_county, OLD.broadcast_id, OLD.kind, OLD.created_at)
    IS NOT (NEW.status, NEW.sent_at IS NULL, NEW.currency, NEW.cost, NEW.sub_county, NEW.broadcast_id, NEW.kind, NEW.created_at)
BEGIN
    INSERT INTO broadcast_counts (broadcast_id, sub_county, status, n)
    SELECT OLD.broadcast_id, COALESCE(OLD.sub_county, ''), OLD.status, -1 WHERE OLD.broadcast_id IS NOT NULL
    ON CONFLICT (broadcast_id, sub_county, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO broadcast_counts (broadcast_id, sub_county, status, n)
    SELECT NEW.broadcast_id, COALESCE(NEW.sub_county, ''), NEW.status, 1 WHERE NEW.broadcast_id IS NOT NULL
    ON CONFLICT (broadcast_id, sub_county, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO sms_daily (day, kind, sub_county, status, sent, currency, n, cost)
    SELECT date(OLD.created_at), OLD.kind, COALESCE(OLD.sub_county, ''), OLD.status, OLD.sent_at IS NOT NULL,
        OLD.currency, -1, -OLD.cost WHERE 1
    ON CONFLICT (day, kind, sub_county, status, sent, currency) DO UPDATE SET n = n + excluded.n, cost = cost + excluded.cost;
    INSERT INTO sms_daily (day, kind, sub_county, status, sent, currency, n, cost)
    SELECT date(NEW.created_at), NEW.kind, COALESCE(NEW.sub_county, ''), NEW.status, NEW.sent_at IS NOT NULL,
        NEW.currency, 1, NEW.cost WHERE 1
    ON CONFLICT (day, kind, sub_county, status, sent, currency) DO UPDATE SET n = n + excluded.n, cost = cost + excluded.cost;
END;

-- No trigger on DELETE: removing old rows (retention) keeps their counts.

-- The dashboard reads the rows of the first, partial day of a month from
-- the outbox itself.
CREATE INDEX outbox_created ON outbox (created_at);
