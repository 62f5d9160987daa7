-- A worker's language is any language the content pack speaks (issue 15):
-- which codes are allowed is the pack's business, checked by the callers
-- (lessons.Pack.Speaks), so the schema keeps only the shape of a code, two
-- to eight lowercase letters ("en", "sw", "kam"), instead of naming en and sw.
--
-- The CHECK is replaced as in 0011, by editing the table's SQL in place:
-- every stored code already has the new shape, and a rebuild of workers
-- would have to drop the table that a dozen others reference (ON DELETE
-- CASCADE, with foreign keys on) and to list columns that other migrations
-- add. RESET reloads this connection's schema; creating and dropping the
-- table below bumps the schema cookie, so every other pooled connection
-- reloads it too (nothing else in this migration would).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, 'CHECK (language IN (''en'', ''sw''))',
                  'CHECK (length(language) BETWEEN 2 AND 8 AND language NOT GLOB ''*[^a-z]*'')')
WHERE type = 'table' AND name = 'workers';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_reload_0048 (id INTEGER);
DROP TABLE schema_reload_0048;
