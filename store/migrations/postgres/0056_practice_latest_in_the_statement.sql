-- Her latest answer to each practice question (practice_latest, 0050) is
-- kept by the statements that store answers (store.sqlPracticeLatest), in
-- the same statement: the trigger ran a plpgsql function and its own upsert
-- for each answer, which cost the quiz walk 3-13 % of its hops (issue 15).
DROP TRIGGER practice_latest_answer ON quiz_answers;
DROP FUNCTION practice_latest_answer();
