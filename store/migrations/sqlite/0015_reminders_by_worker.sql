-- Settling a reminder reads the person's other reminders scheduled on the
-- same day (a rule of higher precedence wins). Without this index the
-- planner may take reminders_due (status, due_at), whose range covers every
-- reminder of the day, and filter by worker: one scan of the day's
-- reminders per reminder settled, quadratic in the nurses (measured in
-- docs/performance.md, "Several instances").
CREATE INDEX reminders_worker_scheduled ON reminders (worker_id, due_at) WHERE status = 'scheduled';
