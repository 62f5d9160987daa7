-- The dashboard's learning counts for an admin read these partial indexes
-- alone (an index-only scan), not the tables: at national size (100,000
-- workers) a million lesson rows and half a million quizzes.
CREATE INDEX lesson_progress_completed ON lesson_progress (worker_id) WHERE completed_at IS NOT NULL;
CREATE INDEX quiz_attempts_practice ON quiz_attempts (topic) INCLUDE (score, total)
    WHERE form = 'practice' AND finished_at IS NOT NULL;
