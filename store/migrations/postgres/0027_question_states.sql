-- Question states (open, answered, passed on, closed): closed_at is when
-- staff closed a question without an answer (the console's helpdesk); a
-- closed question is no mentor's to answer and is not passed on.
ALTER TABLE questions ADD COLUMN closed_at TIMESTAMPTZ;
