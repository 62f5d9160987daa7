-- Counts of completed lessons and finished practice quizzes kept beside
-- the learning tables, so that the dashboard reads a few counter rows
-- instead of counting every lesson and quiz. See the PostgreSQL migration
-- for the rows; SQLite has one writer at a time, so its triggers update the
-- counters directly and learning_count_deltas stays empty.
CREATE TABLE learning_counts (
    sub_county TEXT NOT NULL,
    topic      TEXT NOT NULL,
    lessons    BIGINT NOT NULL,
    quizzes    BIGINT NOT NULL,
    score      BIGINT NOT NULL,
    total      BIGINT NOT NULL,
    PRIMARY KEY (sub_county, topic)
);

CREATE TABLE learning_count_deltas (
    id         INTEGER PRIMARY KEY,
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

-- (The SELECTs carry WHERE clauses so that SQLite reads ON CONFLICT as the
-- upsert, not as a join's ON.)
CREATE TRIGGER lesson_count_insert AFTER INSERT ON lesson_progress WHEN NEW.completed_at IS NOT NULL BEGIN
    INSERT INTO learning_counts (sub_county, topic, lessons, quizzes, score, total)
    SELECT COALESCE((SELECT f.sub_county FROM workers w JOIN facilities f ON f.id = w.facility_id WHERE w.id = NEW.worker_id), ''),
        '', 1, 0, 0, 0 WHERE 1
    ON CONFLICT (sub_county, topic) DO UPDATE SET lessons = lessons + excluded.lessons;
END;

CREATE TRIGGER lesson_count_update AFTER UPDATE OF completed_at ON lesson_progress
WHEN (OLD.completed_at IS NULL) <> (NEW.completed_at IS NULL) BEGIN
    INSERT INTO learning_counts (sub_county, topic, lessons, quizzes, score, total)
    SELECT COALESCE((SELECT f.sub_county FROM workers w JOIN facilities f ON f.id = w.facility_id WHERE w.id = NEW.worker_id), ''),
        '', CASE WHEN NEW.completed_at IS NULL THEN -1 ELSE 1 END, 0, 0, 0 WHERE 1
    ON CONFLICT (sub_county, topic) DO UPDATE SET lessons = lessons + excluded.lessons;
END;

CREATE TRIGGER quiz_count_insert AFTER INSERT ON quiz_attempts
WHEN NEW.form = 'practice' AND NEW.finished_at IS NOT NULL BEGIN
    INSERT INTO learning_counts (sub_county, topic, lessons, quizzes, score, total)
    SELECT COALESCE((SELECT f.sub_county FROM workers w JOIN facilities f ON f.id = w.facility_id WHERE w.id = NEW.worker_id), ''),
        NEW.topic, 0, 1, NEW.score, NEW.total WHERE 1
    ON CONFLICT (sub_county, topic) DO UPDATE
    SET quizzes = quizzes + excluded.quizzes, score = score + excluded.score, total = total + excluded.total;
END;

-- An update takes out what the old row counted and adds what the new one
-- counts.
CREATE TRIGGER quiz_count_update AFTER UPDATE ON quiz_attempts
WHEN (OLD.form, OLD.topic, OLD.finished_at IS NULL, OLD.score, OLD.total, OLD.worker_id)
    IS NOT (NEW.form, NEW.topic, NEW.finished_at IS NULL, NEW.score, NEW.total, NEW.worker_id) BEGIN
    INSERT INTO learning_counts (sub_county, topic, lessons, quizzes, score, total)
    SELECT COALESCE((SELECT f.sub_county FROM workers w JOIN facilities f ON f.id = w.facility_id WHERE w.id = OLD.worker_id), ''),
        OLD.topic, 0, -1, -OLD.score, -OLD.total WHERE OLD.form = 'practice' AND OLD.finished_at IS NOT NULL
    ON CONFLICT (sub_county, topic) DO UPDATE
    SET quizzes = quizzes + excluded.quizzes, score = score + excluded.score, total = total + excluded.total;
    INSERT INTO learning_counts (sub_county, topic, lessons, quizzes, score, total)
    SELECT COALESCE((SELECT f.sub_county FROM workers w JOIN facilities f ON f.id = w.facility_id WHERE w.id = NEW.worker_id), ''),
        NEW.topic, 0, 1, NEW.score, NEW.total WHERE NEW.form = 'practice' AND NEW.finished_at IS NOT NULL
    ON CONFLICT (sub_county, topic) DO UPDATE
    SET quizzes = quizzes + excluded.quizzes, score = score + excluded.score, total = total + excluded.total;
END;

-- A nurse who changes facility, or a facility placed in another
-- sub-county, takes the counts along: taken from the old sub-county, added
-- at the new.
CREATE TRIGGER worker_moved AFTER UPDATE OF facility_id ON workers
WHEN OLD.facility_id IS NOT NEW.facility_id BEGIN
    INSERT INTO learning_counts (sub_county, topic, lessons, quizzes, score, total)
    SELECT s.sub_county, c.topic, s.sign * c.lessons, s.sign * c.quizzes, s.sign * c.score, s.sign * c.total
    FROM (SELECT '' AS topic, COUNT(*) AS lessons, 0 AS quizzes, 0 AS score, 0 AS total
          FROM lesson_progress WHERE worker_id = NEW.id AND completed_at IS NOT NULL
          UNION ALL
          SELECT topic, 0, COUNT(*), SUM(score), SUM(total)
          FROM quiz_attempts WHERE worker_id = NEW.id AND form = 'practice' AND finished_at IS NOT NULL GROUP BY topic) c,
        (SELECT COALESCE((SELECT sub_county FROM facilities WHERE id = OLD.facility_id), '') AS sub_county, -1 AS sign
         UNION ALL SELECT COALESCE((SELECT sub_county FROM facilities WHERE id = NEW.facility_id), ''), 1) s
    WHERE c.lessons <> 0 OR c.quizzes <> 0
    ON CONFLICT (sub_county, topic) DO UPDATE SET lessons = lessons + excluded.lessons,
        quizzes = quizzes + excluded.quizzes, score = score + excluded.score, total = total + excluded.total;
END;

CREATE TRIGGER facility_moved AFTER UPDATE OF sub_county ON facilities
WHEN OLD.sub_county IS NOT NEW.sub_county BEGIN
    INSERT INTO learning_counts (sub_county, topic, lessons, quizzes, score, total)
    SELECT s.sub_county, c.topic, s.sign * c.lessons, s.sign * c.quizzes, s.sign * c.score, s.sign * c.total
    FROM (SELECT '' AS topic, COUNT(*) AS lessons, 0 AS quizzes, 0 AS score, 0 AS total
          FROM lesson_progress WHERE worker_id IN (SELECT id FROM workers WHERE facility_id = NEW.id)
              AND completed_at IS NOT NULL
          UNION ALL
          SELECT topic, 0, COUNT(*), SUM(score), SUM(total)
          FROM quiz_attempts WHERE worker_id IN (SELECT id FROM workers WHERE facility_id = NEW.id)
              AND form = 'practice' AND finished_at IS NOT NULL GROUP BY topic) c,
        (SELECT OLD.sub_county AS sub_county, -1 AS sign UNION ALL SELECT NEW.sub_county, 1) s
    WHERE c.lessons <> 0 OR c.quizzes <> 0
    ON CONFLICT (sub_county, topic) DO UPDATE SET lessons = lessons + excluded.lessons,
        quizzes = quizzes + excluded.quizzes, score = score + excluded.score, total = total + excluded.total;
END;

-- No trigger on DELETE: the service never deletes learning rows or
-- workers (erasure anonymises), so the counts keep what was learnt.
