-- Issue 12: the outbox found by the hour without an index on created_at (see the PostgreSQL
-- migration). SQLite has one writer at a time, so its trigger widens the hour's range directly
-- and outbox_hour_deltas stays empty; readers read it on both.
CREATE TABLE outbox_hours (
    hour     BIGINT PRIMARY KEY,                -- of created_at: hours since 1970-01-01 00:00 UTC
    first_id BIGINT NOT NULL,
    last_id  BIGINT NOT NULL
);

CREATE TABLE outbox_hour_deltas (
    hour     BIGINT NOT NULL,
    first_id BIGINT NOT NULL,
    last_id  BIGINT NOT NULL
);

INSERT INTO outbox_hours (hour, first_id, last_id)
SELECT CAST(strftime('%s', created_at) AS INTEGER) / 3600, MIN(id), MAX(id) FROM outbox GROUP BY 1;

CREATE TRIGGER outbox_hours_insert AFTER INSERT ON outbox BEGIN
    INSERT INTO outbox_hours (hour, first_id, last_id)
    VALUES (CAST(strftime('%s', NEW.created_at) AS INTEGER) / 3600, NEW.id, NEW.id)
    ON CONFLICT (hour) DO UPDATE SET first_id = MIN(first_id, excluded.first_id), last_id = MAX(last_id, excluded.last_id);
END;

DROP INDEX outbox_created;
