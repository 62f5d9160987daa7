-- Ask a mentor: the relay looks for questions neither answered nor escalated
-- after 24 hours, and a mentor's "A12" finds the question by id.
CREATE INDEX questions_open ON questions (asked_at) WHERE answered_at IS NULL AND escalated_at IS NULL;
