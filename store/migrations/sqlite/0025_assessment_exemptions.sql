-- A nurse takes a later assessment only after the earlier one (issue 14),
-- unless a supervisor records an exemption for her and that form.
CREATE TABLE assessment_exemptions (
    worker_id   BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    form        TEXT NOT NULL CHECK (form IN ('midline', 'endline')),
    recorded_by TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (worker_id, form)
);
