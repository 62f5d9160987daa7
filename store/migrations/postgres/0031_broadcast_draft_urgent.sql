-- A broadcast asked for by SMS may be urgent (BC! ..., issue 16): the draft
-- keeps it until the YES.
ALTER TABLE broadcast_drafts ADD COLUMN urgent BOOLEAN NOT NULL DEFAULT FALSE;
