-- A mentor's notes and agreed actions of a visit done (issue 19), sent to the
-- nurse by SMS; saved again, they replace the earlier ones.
CREATE TABLE visit_notes (
    visit_id BIGINT PRIMARY KEY REFERENCES visits (id) ON DELETE CASCADE,
    notes    TEXT NOT NULL,
    saved_at TIMESTAMP NOT NULL
);
