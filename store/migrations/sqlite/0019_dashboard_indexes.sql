-- The dashboard's learning counts for an admin read these partial indexes
-- alone (a covering index), not the tables.
CREATE INDEX lesson_progress_completed ON lesson_progress (worker_id) WHERE completed_at IS NOT NULL;
CREATE INDEX quiz_attempts_practice ON quiz_attempts (topic, score, total)
    WHERE form = 'practice' AND finished_at IS NOT NULL;
