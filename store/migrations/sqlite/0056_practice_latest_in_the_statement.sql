-- Nothing changes on SQLite: its trigger keeps practice_latest (0050) in
-- the process, at no round trip; PostgreSQL's trigger went (see there).
SELECT 1;
