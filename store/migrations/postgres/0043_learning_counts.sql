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

-- Statement triggers with transition tables, as for the SMS counters: one
-- INSERT of grouped deltas per statement (a batch of lesson pages saved
-- together writes a row or two), not one per row, which made completing
-- 10,000 lessons in one statement take 5-9 s instead of ~1 s. An update
-- that changes no count (a lesson's page, a quiz begun) joins its rows and
-- writes nothing.
CREATE FUNCTION lesson_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO learning_count_deltas (sub_county, topic, lessons, quizzes, score, total)
    SELECT COALESCE(f.sub_county, ''), '', COUNT(*), 0, 0, 0
    FROM new_rows r JOIN workers w ON w.id = r.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
    WHERE r.completed_at IS NOT NULL GROUP BY 1;
    RETURN NULL;
END $$;

CREATE TRIGGER lesson_count_insert AFTER INSERT ON lesson_progress
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lesson_count_insert();

CREATE FUNCTION lesson_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO learning_count_deltas (sub_county, topic, lessons, quizzes, score, total)
    SELECT COALESCE(f.sub_county, ''), '', SUM(CASE WHEN r.completed_at IS NULL THEN -1 ELSE 1 END), 0, 0, 0
    FROM old_rows o JOIN new_rows r ON r.worker_id = o.worker_id AND r.lesson_id = o.lesson_id
    JOIN workers w ON w.id = r.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
    WHERE (o.completed_at IS NULL) <> (r.completed_at IS NULL) GROUP BY 1;
    RETURN NULL;
END $$;

CREATE TRIGGER lesson_count_update AFTER UPDATE ON lesson_progress
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lesson_count_update();

-- A practice quiz counts once finished.
CREATE FUNCTION quiz_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO learning_count_deltas (sub_county, topic, lessons, quizzes, score, total)
    SELECT COALESCE(f.sub_county, ''), r.topic, 0, COUNT(*), SUM(r.score), SUM(r.total)
    FROM new_rows r JOIN workers w ON w.id = r.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
    WHERE r.form = 'practice' AND r.finished_at IS NOT NULL GROUP BY 1, 2;
    RETURN NULL;
END $$;

CREATE TRIGGER quiz_count_insert AFTER INSERT ON quiz_attempts
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quiz_count_insert();

-- An update takes out what the old row counted and adds what the new one
-- counts.
CREATE FUNCTION quiz_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO learning_count_deltas (sub_county, topic, lessons, quizzes, score, total)
    SELECT sub_county, topic, 0, SUM(n), SUM(score), SUM(total) FROM (
        SELECT COALESCE(f.sub_county, '') AS sub_county, o.topic, -1 AS n, -o.score AS score, -o.total AS total
        FROM old_rows o JOIN new_rows r ON r.id = o.id
        JOIN workers w ON w.id = o.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
        WHERE o.form = 'practice' AND o.finished_at IS NOT NULL
          AND (o.form, o.topic, o.finished_at IS NULL, o.score, o.total, o.worker_id)
              IS DISTINCT FROM (r.form, r.topic, r.finished_at IS NULL, r.score, r.total, r.worker_id)
        UNION ALL
        SELECT COALESCE(f.sub_county, ''), r.topic, 1, r.score, r.total
        FROM old_rows o JOIN new_rows r ON r.id = o.id
        JOIN workers w ON w.id = r.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
        WHERE r.form = 'practice' AND r.finished_at IS NOT NULL
          AND (o.form, o.topic, o.finished_at IS NULL, o.score, o.total, o.worker_id)
              IS DISTINCT FROM (r.form, r.topic, r.finished_at IS NULL, r.score, r.total, r.worker_id)
    ) d GROUP BY sub_county, topic
    HAVING SUM(n) <> 0 OR SUM(score) <> 0 OR SUM(total) <> 0;
    RETURN NULL;
END $$;

CREATE TRIGGER quiz_count_update AFTER UPDATE ON quiz_attempts
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quiz_count_update();

-- move_learning_counts moves the counts of the given workers from one
-- sub-county to another.
CREATE FUNCTION move_learning_counts(ids BIGINT[], from_sc TEXT, to_sc TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO learning_count_deltas (sub_county, topic, lessons, quizzes, score, total)
    SELECT sc, topic, sign * SUM(lessons), sign * SUM(quizzes), sign * SUM(score), sign * SUM(total)
    FROM (
        SELECT '' AS topic, COUNT(*) AS lessons, 0 AS quizzes, 0 AS score, 0 AS total
        FROM lesson_progress WHERE worker_id = ANY(ids) AND completed_at IS NOT NULL
        UNION ALL
        SELECT topic, 0, COUNT(*), SUM(score), SUM(total)
        FROM quiz_attempts WHERE worker_id = ANY(ids) AND form = 'practice' AND finished_at IS NOT NULL
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
