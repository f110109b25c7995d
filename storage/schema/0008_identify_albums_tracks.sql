-- Identification of albums and tracks with MusicBrainz (issue 12), as for
-- artists (0006): how the MBID was found (tags, auto, user), how sure, and
-- when it was last checked (unidentified ones are re-checked after 1, 7,
-- 30 days). A user's choice (mbid_source 'user', also with a NULL mbid:
-- "none, stop looking") is never overwritten; mbid_unverified is 1 when the
-- user's MBID could not be checked against MusicBrainz (it was unreachable).
ALTER TABLE albums ADD COLUMN mbid_source TEXT CHECK (mbid_source IN ('tags', 'auto', 'user'));
ALTER TABLE albums ADD COLUMN mbid_confidence REAL;
ALTER TABLE albums ADD COLUMN identify_checked_at INTEGER;
ALTER TABLE albums ADD COLUMN identify_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tracks ADD COLUMN mbid_source TEXT CHECK (mbid_source IN ('tags', 'auto', 'user'));
ALTER TABLE tracks ADD COLUMN mbid_confidence REAL;
ALTER TABLE tracks ADD COLUMN identify_checked_at INTEGER;
ALTER TABLE tracks ADD COLUMN identify_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE artists ADD COLUMN mbid_unverified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE albums ADD COLUMN mbid_unverified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tracks ADD COLUMN mbid_unverified INTEGER NOT NULL DEFAULT 0;
