-- Counts of completed lessons and finished practice quizzes kept beside
-- the learning tables, so that the dashboard reads a few counter rows
-- instead of counting every lesson and quiz of the country (at national
-- size 667,000 completed lessons and 500,000 quizzes took 250-450 ms).
--
-- A row counts, for a sub-county and a topic, the quizzes, their summed
-- score and total; the row of topic '' also holds the lessons completed
-- (lessons are not counted by topic). The sub-county is the worker's
-- facility's now ('' without one), as the dashboard always counted: a nurse
-- who moves takes her counts with her (the workers and facilities triggers
-- below).
CREATE TABLE learning_counts (
    sub_county TEXT NOT NULL,
    topic      TEXT NOT NULL,
    lessons    BIGINT NOT NULL,
    quizzes    BIGINT NOT NULL,
    score      BIGINT NOT NULL,
    total      BIGINT NOT NULL,
    PRIMARY KEY (sub_county, topic)
);

-- As for the SMS counters, the triggers only append changes here and the
-- fold (FoldCounts, the same advisory lock) moves them into learning_counts,
-- so that nurses finishing lessons at once never wait on one counter row.
-- Readers add the rows not yet folded.
CREATE TABLE learning_count_deltas (
    id         BIGSERIAL PRIMARY KEY,
    sub_county TEXT NOT NULL,
    topic      TEXT NOT NULL,
    lessons    BIGINT NOT NULL,
    quizzes    BIGINT NOT NULL,
    score      BIGINT NOT NULL,
    total      BIGINT NOT NULL
);

INSERT INTO learning_counts (sub_county, topic, lessons, quizzes, score, total)
SELECT sub_county, topic, SUM(lessons), SUM(quizzes), SUM(score), SUM(total) FROM (
    SELECT COALESCE(f.sub_county, '') AS sub_county, '' AS topic, COUNT(*) AS lessons,
        0 AS quizzes, 0 AS score, 0 AS total
    FROM lesson_progress p JOIN workers w ON w.id = p.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
    WHERE p.completed_at IS NOT NULL GROUP BY 1
    UNION ALL
    SELECT COALESCE(f.sub_county, ''), q.topic, 0, COUNT(*), SUM(q.score), SUM(q.total)
    FROM quiz_attempts q JOIN workers w ON w.id = q.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
    WHERE q.form = 'practice' AND q.finished_at IS NOT NULL GROUP BY 1, 2
) c GROUP BY sub_county, topic;

-- worker_sub_county is the sub-county a worker's learning counts under.
CREATE FUNCTION worker_sub_county(worker BIGINT) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT COALESCE((SELECT f.sub_county FROM workers w JOIN facilities f ON f.id = w.facility_id WHERE w.id = worker), '')
$$;

-- Row triggers whose WHEN skips the many updates that change no count (a
-- lesson's page, a quiz begun), so saving pages costs nothing more.
CREATE FUNCTION lesson_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO learning_count_deltas (sub_county, topic, lessons, quizzes, score, total)
    VALUES (worker_sub_county(NEW.worker_id), '', CASE WHEN NEW.completed_at IS NULL THEN -1 ELSE 1 END, 0, 0, 0);
    RETURN NULL;
END $$;

CREATE TRIGGER lesson_count_insert AFTER INSERT ON lesson_progress
FOR EACH ROW WHEN (NEW.completed_at IS NOT NULL) EXECUTE FUNCTION lesson_count();
CREATE TRIGGER lesson_count_update AFTER UPDATE OF completed_at ON lesson_progress
FOR EACH ROW WHEN ((OLD.completed_at IS NULL) <> (NEW.completed_at IS NULL)) EXECUTE FUNCTION lesson_count();

-- A practice quiz counts once finished; an update takes out what the old
-- row counted and adds what the new one counts.
CREATE FUNCTION quiz_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.form = 'practice' AND OLD.finished_at IS NOT NULL THEN
        INSERT INTO learning_count_deltas (sub_county, topic, lessons, quizzes, score, total)
        VALUES (worker_sub_county(OLD.worker_id), OLD.topic, 0, -1, -OLD.score, -OLD.total);
    END IF;
    IF NEW.form = 'practice' AND NEW.finished_at IS NOT NULL THEN
        INSERT INTO learning_count_deltas (sub_county, topic, lessons, quizzes, score, total)
        VALUES (worker_sub_county(NEW.worker_id), NEW.topic, 0, 1, NEW.score, NEW.total);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER quiz_count_insert AFTER INSERT ON quiz_attempts
FOR EACH ROW WHEN (NEW.form = 'practice' AND NEW.finished_at IS NOT NULL) EXECUTE FUNCTION quiz_count();
CREATE TRIGGER quiz_count_update AFTER UPDATE ON quiz_attempts
FOR EACH ROW WHEN ((OLD.form, OLD.topic, OLD.finished_at IS NULL, OLD.score, OLD.total, OLD.worker_id)
    IS DISTINCT FROM (NEW.form, NEW.topic, NEW.finished_at IS NULL, NEW.score, NEW.total, NEW.worker_id))
EXECUTE FUNCTION quiz_count();

-- move_learning_counts moves the counts of the given workers from one
-- sub-county to another.
CREATE FUNCTION move_learning_counts(workers BIGINT[], from_sc TEXT, to_sc TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO learning_count_deltas (sub_county, topic, lessons, quizzes, score, total)
    SELECT sc, topic, sign * SUM(lessons), sign * SUM(quizzes), sign * SUM(score), sign * SUM(total)
    FROM (
        SELECT '' AS topic, COUNT(*) AS lessons, 0 AS quizzes, 0 AS score, 0 AS total
        FROM lesson_progress WHERE worker_id = ANY(workers) AND completed_at IS NOT NULL
        UNION ALL
        SELECT topic, 0, COUNT(*), SUM(score), SUM(total)
        FROM quiz_attempts WHERE worker_id = ANY(workers) AND form = 'practice' AND finished_at IS NOT NULL
        GROUP BY topic
    ) c CROSS JOIN (VALUES (from_sc, -1), (to_sc, 1)) s (sc, sign)
    WHERE from_sc <> to_sc
    GROUP BY sc, sign, topic
    HAVING SUM(lessons) <> 0 OR SUM(quizzes) <> 0
$$;

-- A nurse who changes facility, or a facility placed in another
-- sub-county, takes the counts along. Both are rare; WHEN skips the rest
-- (a dial updates the worker's row every time).
CREATE FUNCTION worker_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM move_learning_counts(ARRAY[NEW.id],
        COALESCE((SELECT sub_county FROM facilities WHERE id = OLD.facility_id), ''),
        COALESCE((SELECT sub_county FROM facilities WHERE id = NEW.facility_id), ''));
    RETURN NULL;
END $$;

CREATE TRIGGER worker_moved AFTER UPDATE OF facility_id ON workers
FOR EACH ROW WHEN (OLD.facility_id IS DISTINCT FROM NEW.facility_id) EXECUTE FUNCTION worker_moved();

CREATE FUNCTION facility_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM move_learning_counts(ARRAY(SELECT id FROM workers WHERE facility_id = NEW.id), OLD.sub_county, NEW.sub_county);
    RETURN NULL;
END $$;

CREATE TRIGGER facility_moved AFTER UPDATE OF sub_county ON facilities
FOR EACH ROW WHEN (OLD.sub_county IS DISTINCT FROM NEW.sub_county) EXECUTE FUNCTION facility_moved();

-- No trigger on DELETE: the service never deletes learning rows or
-- workers (erasure anonymises), so the counts keep what was learnt.
