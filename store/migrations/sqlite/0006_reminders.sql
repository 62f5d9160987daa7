-- A visit's reminders follow it: they are recomputed when it moves and go
-- when it is cancelled. sent_at feeds the per-person caps; reason says why a
-- reminder was dropped (a cap, a collision, too late).
ALTER TABLE reminders ADD COLUMN visit_id BIGINT REFERENCES visits (id) ON DELETE CASCADE;
ALTER TABLE reminders ADD COLUMN sent_at TIMESTAMP;
ALTER TABLE reminders ADD COLUMN reason TEXT NOT NULL DEFAULT '';
CREATE INDEX reminders_visit ON reminders (visit_id) WHERE visit_id IS NOT NULL;
CREATE INDEX reminders_worker_sent ON reminders (worker_id, sent_at) WHERE status = 'sent';
CREATE INDEX visits_done ON visits (mentee_id, done_at) WHERE status = 'done';
