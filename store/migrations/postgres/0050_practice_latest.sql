-- A nurse's latest answer to each practice question (issue 15): her misses
-- are read from it by her id, at a cost that does not grow with her quizzes
-- (read from all her practice answers, the quiz's start grew with each one
-- she took). The latest answer is the one of her latest attempt that asked
-- the question, as the read it replaces took it: attempt ids grow with
-- time, answer times may tie. The trigger keeps it in the statement that
-- stores the answer, so no writer can forget it and a joined write of many
-- answers keeps it too. An answer that goes (its attempt deleted) takes its
-- row along.
CREATE TABLE practice_latest (
    worker_id   BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    topic       TEXT NOT NULL,
    attempt_id  BIGINT NOT NULL,
    correct     BOOLEAN NOT NULL,
    answered_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (worker_id, question_id),
    FOREIGN KEY (attempt_id, question_id) REFERENCES quiz_answers (attempt_id, question_id) ON DELETE CASCADE
);

INSERT INTO practice_latest (worker_id, question_id, topic, attempt_id, correct, answered_at)
SELECT DISTINCT ON (u.worker_id, a.question_id) u.worker_id, a.question_id, a.topic, a.attempt_id, a.correct, a.answered_at
FROM quiz_answers a JOIN quiz_attempts u ON u.id = a.attempt_id
WHERE u.form = 'practice'
ORDER BY u.worker_id, a.question_id, a.attempt_id DESC;

-- An answer resent in the same attempt is not stored (quiz_answers keeps
-- the first), so it fires nothing; an older attempt's answer written late
-- does not replace a newer one. One row at a time: a joined write may hold
-- two answers to one question, which one upsert could not take.
CREATE FUNCTION practice_latest_answer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO practice_latest (worker_id, question_id, topic, attempt_id, correct, answered_at)
    SELECT u.worker_id, NEW.question_id, NEW.topic, NEW.attempt_id, NEW.correct, NEW.answered_at
    FROM quiz_attempts u WHERE u.id = NEW.attempt_id AND u.form = 'practice'
    ON CONFLICT (worker_id, question_id) DO UPDATE
    SET topic = excluded.topic, attempt_id = excluded.attempt_id, correct = excluded.correct,
        answered_at = excluded.answered_at
    WHERE excluded.attempt_id > practice_latest.attempt_id;
    RETURN NULL;
END $$;

CREATE TRIGGER practice_latest_answer AFTER INSERT ON quiz_answers
FOR EACH ROW EXECUTE FUNCTION practice_latest_answer();
