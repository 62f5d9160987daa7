-- Issue 15: the PostgreSQL migration replaces PL/pgSQL triggers on the
-- quiz's tables. SQLite's triggers are row triggers with WHEN already, and
-- practice_latest's compiles with the answers' statement, prepared once a
-- connection (store/quiz.go, execPrepared): nothing changes here.
SELECT 1;
