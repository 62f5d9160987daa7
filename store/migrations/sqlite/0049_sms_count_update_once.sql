-- Nothing changes on SQLite: its counter triggers run per row (SQLite has no
-- statement triggers), and a claim, which sets only the lease, fires none
-- (0018). This migration rewrites PostgreSQL's update trigger; the number is
-- kept here so both dialects stay at the same level.
SELECT 1;
