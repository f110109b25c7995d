-- What the user changed through the API (issue 14): own, unown, ignore,
-- unignore, downloads. An audit trail, and how the dedup store learns that
-- its in-memory "owned or ignored" flags may be stale: it compares the
-- highest id with the last one it saw before each batch.
CREATE TABLE user_actions (
  id          INTEGER PRIMARY KEY,
  action      TEXT NOT NULL,
  entity_type TEXT NOT NULL CHECK (entity_type IN ('artist', 'album', 'track', 'playlist')),
  entity_id   INTEGER NOT NULL,
  at          INTEGER NOT NULL
);
