-- The folder as evidence (issue 11): 1 when a local file's album (or its
-- album artist) came from its folder's other files, not from its own tags.
ALTER TABLE tracks ADD COLUMN album_inferred INTEGER NOT NULL DEFAULT 0;
