-- Issue 12, must-show 4: the outbox found by the hour without an index on created_at.
--
-- A result changes a row's status, so it is never a HOT update, and every full index of the outbox
-- gets an entry for it: outbox_created (0018) cost about half of what dispatch lost to the
-- counters (docs/performance.md). Its two readers need only the rows of a few hours: the
-- dashboard's hours of a month's first UTC day that belong to the month, and retention's oldest
-- rows. outbox_hours keeps, for each UTC hour, the lowest and highest id of the rows created in it;
-- the rows of an hour lie between the two, and the primary key reads that range.
--
-- Rows are written in time order (ids from one sequence, created_at the clock at the insert), so
-- the ranges of hours barely overlap; they are exact either way, since an insert widens its
-- hour's range by its own rows' ids. Hours are kept once their rows are gone: a year is 8,760
-- rows.
CREATE TABLE outbox_hours (
    hour     BIGINT PRIMARY KEY,                -- of created_at: hours since 1970-01-01 00:00 UTC
    first_id BIGINT NOT NULL,
    last_id  BIGINT NOT NULL
);

-- As with the counters (0018), the insert trigger only appends here and FoldCounts moves the rows
-- into outbox_hours: concurrent inserts of one hour would otherwise wait on its row's lock until
-- each other's commit. Readers add the rows not yet folded.
CREATE TABLE outbox_hour_deltas (
    hour     BIGINT NOT NULL,
    first_id BIGINT NOT NULL,
    last_id  BIGINT NOT NULL
);

INSERT INTO outbox_hours (hour, first_id, last_id)
SELECT floor(extract(epoch FROM created_at) / 3600), MIN(id), MAX(id) FROM outbox GROUP BY 1;

CREATE FUNCTION outbox_hours_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox_hour_deltas (hour, first_id, last_id)
    SELECT floor(extract(epoch FROM created_at) / 3600), MIN(id), MAX(id) FROM new_rows GROUP BY 1;
    RETURN NULL;
END $$;

CREATE TRIGGER outbox_hours_insert AFTER INSERT ON outbox
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outbox_hours_insert();

DROP INDEX outbox_created;
