-- What the image pool needs to fetch an image once and not again while it
-- is unchanged (the validators of the file on disk), and to retry a failed
-- one with a backoff (1 day, 7 days, then no more until the URL changes).
ALTER TABLE images ADD COLUMN etag TEXT;
ALTER TABLE images ADD COLUMN last_modified TEXT;
ALTER TABLE images ADD COLUMN content_type TEXT;
ALTER TABLE images ADD COLUMN bytes INTEGER;
ALTER TABLE images ADD COLUMN fetched_at INTEGER;
ALTER TABLE images ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE images ADD COLUMN next_attempt_at INTEGER;
