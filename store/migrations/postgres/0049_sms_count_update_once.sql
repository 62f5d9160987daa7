-- The SMS counters' update trigger (0018) walked the changed rows twice: one
-- join of the old and new transition tables for the rows' old buckets, a
-- second for their new ones, each comparing every pair. It runs on every
-- claim (1,000 rows that change only their lease) and every request's
-- results (100 rows), and made dispatch slower than before the counters.
-- Now one join gives each changed row both its buckets (the old one -1, the
-- new one +1); what it writes is the same.
CREATE OR REPLACE FUNCTION outbox_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sms_count_deltas (broadcast_id, day, kind, sub_county, status, sent, currency, n, cost)
    SELECT d.broadcast_id, to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), d.kind, COALESCE(d.sub_county, ''),
        d.status, d.sent, d.currency, SUM(d.n), SUM(d.cost)
    FROM old_rows o JOIN new_rows r ON r.id = o.id
    CROSS JOIN LATERAL (VALUES
        (o.broadcast_id, o.created_at, o.kind, o.sub_county, o.status, o.sent_at IS NOT NULL, o.currency, -1, -o.cost),
        (r.broadcast_id, r.created_at, r.kind, r.sub_county, r.status, r.sent_at IS NOT NULL, r.currency, 1, r.cost)
    ) AS d (broadcast_id, created_at, kind, sub_county, status, sent, currency, n, cost)
    WHERE (o.status, o.sent_at IS NULL, o.currency, o.cost, o.sub_county, o.broadcast_id, o.kind, o.created_at)
        IS DISTINCT FROM (r.status, r.sent_at IS NULL, r.currency, r.cost, r.sub_county, r.broadcast_id, r.kind, r.created_at)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING SUM(d.n) <> 0 OR SUM(d.cost) <> 0;
    RETURN NULL;
END $$;
