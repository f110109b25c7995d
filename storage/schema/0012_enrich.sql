-- Metadata profiles and the expand phase (issue 13). The artist's own
-- profile overrides library.metadata_profile (NULL: the library's); its
-- monitor flag is the existing auto_add_albums column. An album the expand
-- tasks added says so (added_by, added_at), so the new releases can be
-- listed and a user can tell a discography album from one of theirs.
ALTER TABLE artists ADD COLUMN metadata_profile TEXT
  CHECK (metadata_profile IS NULL OR json_valid(metadata_profile));
ALTER TABLE albums ADD COLUMN added_by TEXT
  CHECK (added_by IN ('discography', 'new_release'));
ALTER TABLE albums ADD COLUMN added_at INTEGER;
CREATE INDEX albums_added_by ON albums(added_by, added_at) WHERE added_by IS NOT NULL;
