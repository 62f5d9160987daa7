-- Broadcasts can be cancelled until their SMS are claimed (issue 16): the
-- unclaimed rows take the final outbox status 'cancelled', which the
-- counters of 0018 count like any other status.
--
-- The CHECK is rebuilt from its current definition with 'cancelled' added
-- after 'queued', rather than written out whole, so that this migration and
-- another one widening the same check both keep their statuses, whichever
-- runs first. NOT VALID as in 0011: the rows already satisfy it.
DO $$
DECLARE def text;
BEGIN
    SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint
    WHERE conrelid = 'outbox'::regclass AND conname = 'outbox_status_check';
    def := replace(replace(def, ' NOT VALID', ''), '''queued''::text', '''queued''::text, ''cancelled''::text');
    ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
    EXECUTE 'ALTER TABLE outbox ADD CONSTRAINT outbox_status_check ' || def || ' NOT VALID';
END $$;

-- When a broadcast was cancelled; NULL while it is not.
ALTER TABLE broadcasts ADD COLUMN cancelled_at TIMESTAMPTZ;
