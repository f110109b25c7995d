-- Whether a scan error may go away by itself (permission denied, I/O error):
-- such a file is read again at the next scan even though its size and mtime
-- did not change, since fixing permissions or a flaky disk changes neither.
ALTER TABLE scan_errors ADD COLUMN transient INTEGER NOT NULL DEFAULT 0;
