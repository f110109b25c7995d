-- Ownership changed outside the dedup store (issue 14): the user's actions
-- through the API (own, unown, ignore, unignore, download ...) and the
-- cleanup_library task. An audit trail, and how the dedup store learns that
-- its in-memory "owned or ignored" flags may be stale: it compares the
-- highest id with the last one it saw before each batch. cleanup_library
-- reads the user's unown rows (SPEC §4 scenarios 1 and 2).
CREATE TABLE ownership_changes (
  id          INTEGER PRIMARY KEY,
  action      TEXT NOT NULL,
  entity_type TEXT NOT NULL
              CHECK (entity_type IN ('artist', 'album', 'track', 'playlist', 'library')),
  entity_id   INTEGER NOT NULL,
  at          INTEGER NOT NULL
);
CREATE INDEX ownership_changes_entity ON ownership_changes(entity_type, entity_id, action);
