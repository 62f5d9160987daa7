-- The console's helpdesk (issue 16): a supervisor answers a question herself
-- (answered_by_user; answered_by stays the mentor column), or hands it to
-- another mentor (assigned_to), who may then answer it as its own mentor.
ALTER TABLE questions ADD COLUMN answered_by_user INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE questions ADD COLUMN assigned_to INTEGER REFERENCES workers (id) ON DELETE SET NULL;
