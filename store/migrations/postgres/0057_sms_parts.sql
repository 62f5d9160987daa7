-- Issue 18: a nurse's channel all the way.
--
-- The SMS form of a message that is longer on WhatsApp (a mentor's answer,
-- whole there, cut to two SMS parts with a pointer to the rest): a WhatsApp
-- row that falls back to SMS (131026) is sent as this. NULL: the body goes
-- on either channel.
ALTER TABLE outbox ADD COLUMN sms_body TEXT;

-- The SMS counters count parts and SMS apart from WhatsApp. The counters
-- count every outbox row, and WhatsApp rows (migration 0045) share the
-- outbox: sms_n is the bucket's rows that went by SMS (n counts every
-- channel: a broadcast's recipients), parts their segments, since the
-- gateway charges each part. Like the other counts they are kept through
-- retention (no DELETE trigger) and moved in the same statement as each
-- status change.
ALTER TABLE sms_daily ADD COLUMN sms_n BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sms_daily ADD COLUMN parts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sms_count_deltas ADD COLUMN sms_n BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sms_count_deltas ADD COLUMN parts BIGINT NOT NULL DEFAULT 0;

-- Every row counted so far was an SMS but the WhatsApp rows, all still in
-- the outbox (WhatsApp is younger than SMS_KEEP, a year by default); the
-- rows the outbox holds give the parts of their buckets, and a bucket whose
-- rows retention removed keeps 0 parts.
UPDATE sms_daily SET sms_n = n;
UPDATE sms_count_deltas SET sms_n = n;
INSERT INTO sms_daily (day, kind, sub_county, status, sent, currency, n, cost, sms_n, parts)
SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), kind, COALESCE(sub_county, ''), status,
    sent_at IS NOT NULL, currency, 0, 0, -SUM(CASE WHEN channel = 'sms' THEN 0 ELSE 1 END),
    SUM(CASE WHEN channel = 'sms' THEN segments ELSE 0 END)
FROM outbox GROUP BY 1, 2, 3, 4, 5, 6
ON CONFLICT (day, kind, sub_county, status, sent, currency)
DO UPDATE SET sms_n = sms_daily.sms_n + excluded.sms_n, parts = excluded.parts;

CREATE OR REPLACE FUNCTION outbox_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sms_count_deltas (broadcast_id, day, kind, sub_county, status, sent, currency, n, cost, sms_n, parts)
    SELECT broadcast_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), kind, COALESCE(sub_county, ''), status,
        sent_at IS NOT NULL, currency, COUNT(*), SUM(cost), SUM(CASE WHEN channel = 'sms' THEN 1 ELSE 0 END),
        SUM(CASE WHEN channel = 'sms' THEN segments ELSE 0 END)
    FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6, 7;
    RETURN NULL;
END $$;

-- As in 0018, with sms_n and parts: a row's segments (set with its result) and its
-- channel (WhatsApp falling back to SMS) move it too. A claim, which changes only the
-- lease, still returns at once (0055: chanjo.lease_only).
CREATE OR REPLACE FUNCTION outbox_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('chanjo.lease_only', true) = 'on' THEN
        RETURN NULL;
    END IF;
    INSERT INTO sms_count_deltas (broadcast_id, day, kind, sub_county, status, sent, currency, n, cost, sms_n, parts)
    SELECT broadcast_id, day, kind, sub_county, status, sent, currency, SUM(n), SUM(cost), SUM(sms_n), SUM(parts)
    FROM (
        SELECT o.broadcast_id, to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, o.kind,
            COALESCE(o.sub_county, '') AS sub_county, o.status, o.sent_at IS NOT NULL AS sent, o.currency,
            -1 AS n, -o.cost AS cost, -(CASE WHEN o.channel = 'sms' THEN 1 ELSE 0 END) AS sms_n,
            -(CASE WHEN o.channel = 'sms' THEN o.segments ELSE 0 END) AS parts
        FROM old_rows o JOIN new_rows r ON r.id = o.id
        WHERE (o.status, o.sent_at IS NULL, o.currency, o.cost, o.sub_county, o.broadcast_id, o.kind, o.created_at,
               o.segments, o.channel)
            IS DISTINCT FROM (r.status, r.sent_at IS NULL, r.currency, r.cost, r.sub_county, r.broadcast_id, r.kind,
               r.created_at, r.segments, r.channel)
        UNION ALL
        SELECT r.broadcast_id, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), r.kind,
            COALESCE(r.sub_county, ''), r.status, r.sent_at IS NOT NULL, r.currency, 1, r.cost,
            CASE WHEN r.channel = 'sms' THEN 1 ELSE 0 END, CASE WHEN r.channel = 'sms' THEN r.segments ELSE 0 END
        FROM old_rows o JOIN new_rows r ON r.id = o.id
        WHERE (o.status, o.sent_at IS NULL, o.currency, o.cost, o.sub_county, o.broadcast_id, o.kind, o.created_at,
               o.segments, o.channel)
            IS DISTINCT FROM (r.status, r.sent_at IS NULL, r.currency, r.cost, r.sub_county, r.broadcast_id, r.kind,
               r.created_at, r.segments, r.channel)
    ) d
    GROUP BY broadcast_id, day, kind, sub_county, status, sent, currency
    HAVING SUM(n) <> 0 OR SUM(cost) <> 0 OR SUM(sms_n) <> 0 OR SUM(parts) <> 0;
    RETURN NULL;
END $$;
