-- "Resend to failed" (issue 16): a broadcast to the failed recipients of
-- another names it here. One resend per broadcast, so a double click or a
-- retried call returns the first resend instead of sending again; the failed
-- of a resend are resent from the resend.
ALTER TABLE broadcasts ADD COLUMN resend_of BIGINT REFERENCES broadcasts (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX broadcasts_resend_of ON broadcasts (resend_of);
