-- Issue 15, the quiz walk on PostgreSQL: a quiz's writes run no PL/pgSQL
-- that has nothing to do. A CPU profile of PostgreSQL under the quiz walk
-- put 38 % of its time in after-triggers, among them the learning counts'
-- statement triggers, which ran a join over their transition tables for
-- every quiz started (which counts nothing) and every score.
--
-- The learning counts of quizzes become row triggers whose WHEN (checked by
-- the executor, without calling the function) lets through only a row that
-- changes a count: a practice quiz inserted finished, or one whose finish,
-- score or topic changes. The statement triggers were chosen for lessons,
-- saved thousands in one statement; quiz attempts are written one at a time
-- (store/cmd/gen's national-size data is the only bulk insert).
DROP TRIGGER quiz_count_insert ON quiz_attempts;
DROP TRIGGER quiz_count_update ON quiz_attempts;
DROP FUNCTION quiz_count_insert();
DROP FUNCTION quiz_count_update();

CREATE FUNCTION quiz_count_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.form = 'practice' AND OLD.finished_at IS NOT NULL THEN
        INSERT INTO learning_count_deltas (sub_county, topic, lessons, quizzes, score, total)
        SELECT COALESCE((SELECT f.sub_county FROM workers w JOIN facilities f ON f.id = w.facility_id WHERE w.id = OLD.worker_id), ''),
            OLD.topic, 0, -1, -OLD.score, -OLD.total;
    END IF;
    IF NEW.form = 'practice' AND NEW.finished_at IS NOT NULL THEN
        INSERT INTO learning_count_deltas (sub_county, topic, lessons, quizzes, score, total)
        SELECT COALESCE((SELECT f.sub_county FROM workers w JOIN facilities f ON f.id = w.facility_id WHERE w.id = NEW.worker_id), ''),
            NEW.topic, 0, 1, NEW.score, NEW.total;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER quiz_count_insert AFTER INSERT ON quiz_attempts FOR EACH ROW
WHEN (NEW.form = 'practice' AND NEW.finished_at IS NOT NULL)
EXECUTE FUNCTION quiz_count_row();

CREATE TRIGGER quiz_count_update AFTER UPDATE ON quiz_attempts FOR EACH ROW
WHEN ((OLD.form = 'practice' AND OLD.finished_at IS NOT NULL OR NEW.form = 'practice' AND NEW.finished_at IS NOT NULL)
    AND (OLD.form, OLD.topic, OLD.finished_at IS NULL, OLD.score, OLD.total, OLD.worker_id)
        IS DISTINCT FROM (NEW.form, NEW.topic, NEW.finished_at IS NULL, NEW.score, NEW.total, NEW.worker_id))
EXECUTE FUNCTION quiz_count_row();
