-- Local scan and dedup store (issue 4).
-- The run that last renewed an ownership claim: reconcile releases the
-- claims of a (source, reason) that its latest complete run did not renew.
ALTER TABLE ownership_claims ADD COLUMN run_id INTEGER;
-- A broken file that is unchanged (same size and mtime) is not opened again.
ALTER TABLE scan_errors ADD COLUMN file_mtime INTEGER;
