-- Issue 18: a nurse's channel all the way. See the PostgreSQL migration.
--
-- The SMS form of a message that is longer on WhatsApp (a mentor's answer):
-- a WhatsApp row that falls back to SMS (131026) is sent as this.
ALTER TABLE outbox ADD COLUMN sms_body TEXT;

-- The SMS counters count SMS apart from WhatsApp (sms_n; n counts every
-- channel) and their parts (segments): the gateway charges each part. Kept
-- through retention like the other counts.
ALTER TABLE sms_daily ADD COLUMN sms_n BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sms_daily ADD COLUMN parts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sms_count_deltas ADD COLUMN sms_n BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sms_count_deltas ADD COLUMN parts BIGINT NOT NULL DEFAULT 0;

UPDATE sms_daily SET sms_n = n;
INSERT INTO sms_daily (day, kind, sub_county, status, sent, currency, n, cost, sms_n, parts)
SELECT date(created_at), kind, COALESCE(sub_county, ''), status, sent_at IS NOT NULL, currency, 0, 0,
    -SUM(CASE WHEN channel = 'sms' THEN 0 ELSE 1 END), SUM(CASE WHEN channel = 'sms' THEN segments ELSE 0 END)
FROM outbox WHERE 1 GROUP BY 1, 2, 3, 4, 5, 6
ON CONFLICT (day, kind, sub_county, status, sent, currency) DO UPDATE SET sms_n = sms_n + excluded.sms_n, parts = excluded.parts;

DROP TRIGGER outbox_count_insert;
DROP TRIGGER outbox_count_update;

-- (The SELECTs below carry WHERE clauses so that SQLite reads ON CONFLICT
-- as the upsert, not as a join's ON.)
CREATE TRIGGER outbox_count_insert AFTER INSERT ON outbox BEGIN
    INSERT INTO broadcast_counts (broadcast_id, sub_county, status, n)
    SELECT NEW.broadcast_id, COALESCE(NEW.sub_county, ''), NEW.status, 1 WHERE NEW.broadcast_id IS NOT NULL
    ON CONFLICT (broadcast_id, sub_county, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO sms_daily (day, kind, sub_county, status, sent, currency, n, cost, sms_n, parts)
    SELECT date(NEW.created_at), NEW.kind, COALESCE(NEW.sub_county, ''), NEW.status, NEW.sent_at IS NOT NULL,
        NEW.currency, 1, NEW.cost, NEW.channel = 'sms', CASE WHEN NEW.channel = 'sms' THEN NEW.segments ELSE 0 END WHERE 1
    ON CONFLICT (day, kind, sub_county, status, sent, currency)
    DO UPDATE SET n = n + excluded.n, cost = cost + excluded.cost, sms_n = sms_n + excluded.sms_n, parts = parts + excluded.parts;
END;

-- An update moves a row from its old bucket to its new one; a row's
-- segments (set with its result) and its channel (WhatsApp falling back to
-- SMS) move its parts. A claim sets only the lease columns, which the
-- column list leaves out.
CREATE TRIGGER outbox_count_update
AFTER UPDATE OF status, sent_at, currency, cost, sub_county, broadcast_id, kind, created_at, segments, channel ON outbox
WHEN (OLD.status, OLD.sent_at IS NULL, OLD.currency, OLD.cost, OLD.sub_county, OLD.broadcast_id, OLD.kind, OLD.created_at,
      OLD.segments, OLD.channel)
    IS NOT (NEW.status, NEW.sent_at IS NULL, NEW.currency, NEW.cost, NEW.sub_county, NEW.broadcast_id, NEW.kind,
      NEW.created_at, NEW.segments, NEW.channel)
BEGIN
    INSERT INTO broadcast_counts (broadcast_id, sub_county, status, n)
    SELECT OLD.broadcast_id, COALESCE(OLD.sub_county, ''), OLD.status, -1 WHERE OLD.broadcast_id IS NOT NULL
    ON CONFLICT (broadcast_id, sub_county, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO broadcast_counts (broadcast_id, sub_county, status, n)
    SELECT NEW.broadcast_id, COALESCE(NEW.sub_county, ''), NEW.status, 1 WHERE NEW.broadcast_id IS NOT NULL
    ON CONFLICT (broadcast_id, sub_county, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO sms_daily (day, kind, sub_county, status, sent, currency, n, cost, sms_n, parts)
    SELECT date(OLD.created_at), OLD.kind, COALESCE(OLD.sub_county, ''), OLD.status, OLD.sent_at IS NOT NULL,
        OLD.currency, -1, -OLD.cost, -(OLD.channel = 'sms'), -(CASE WHEN OLD.channel = 'sms' THEN OLD.segments ELSE 0 END) WHERE 1
    ON CONFLICT (day, kind, sub_county, status, sent, currency)
    DO UPDATE SET n = n + excluded.n, cost = cost + excluded.cost, sms_n = sms_n + excluded.sms_n, parts = parts + excluded.parts;
    INSERT INTO sms_daily (day, kind, sub_county, status, sent, currency, n, cost, sms_n, parts)
    SELECT date(NEW.created_at), NEW.kind, COALESCE(NEW.sub_county, ''), NEW.status, NEW.sent_at IS NOT NULL,
        NEW.currency, 1, NEW.cost, NEW.channel = 'sms', CASE WHEN NEW.channel = 'sms' THEN NEW.segments ELSE 0 END WHERE 1
    ON CONFLICT (day, kind, sub_county, status, sent, currency)
    DO UPDATE SET n = n + excluded.n, cost = cost + excluded.cost, sms_n = sms_n + excluded.sms_n, parts = parts + excluded.parts;
END;
