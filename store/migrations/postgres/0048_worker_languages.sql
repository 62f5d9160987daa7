-- A worker's language is any language the content pack speaks (issue 15):
-- which codes are allowed is the pack's business, checked by the callers
-- (lessons.Pack.Speaks), so the schema keeps only the shape of a code, two
-- to eight lowercase letters ("en", "sw", "kam"), instead of naming en and sw.
--
-- NOT VALID as in 0011: every stored code already has the new shape, and
-- checking them would scan workers under an exclusive lock.
ALTER TABLE workers DROP CONSTRAINT workers_language_check;
ALTER TABLE workers ADD CONSTRAINT workers_language_check
    CHECK (language ~ '^[a-z]{2,8}$') NOT VALID;
