-- Identification with MusicBrainz (issue 12).
-- Answers of metadata providers, by request URL: a second identification
-- of an unchanged library asks nothing, and an outage serves what is known.
CREATE TABLE provider_cache (
  url        TEXT PRIMARY KEY,
  provider   TEXT NOT NULL,
  status     INTEGER NOT NULL,   -- 200, or 404 (a definite "no such entity")
  body       TEXT NOT NULL,
  fetched_at INTEGER NOT NULL
);
CREATE INDEX provider_cache_fetched ON provider_cache(provider, fetched_at);

-- Every identification decision, kept (the newest per entity is the one
-- that holds): the candidates with their scores and features, what was
-- chosen (or NULL) and why, when, by whom.
CREATE TABLE identify_decisions (
  id          INTEGER PRIMARY KEY,
  entity_type TEXT NOT NULL CHECK (entity_type IN ('artist', 'album', 'track')),
  entity_id   INTEGER NOT NULL,
  decided_at  INTEGER NOT NULL,
  decided_by  TEXT NOT NULL CHECK (decided_by IN ('auto', 'user')),
  outcome     TEXT NOT NULL CHECK (outcome IN ('identified', 'uncertain', 'not_found')),
  chosen_mbid TEXT,
  source      TEXT NOT NULL,     -- tags, search
  confidence  REAL,
  margin      REAL,
  why         TEXT NOT NULL,
  candidates  TEXT NOT NULL DEFAULT '[]',  -- JSON array
  stale       INTEGER NOT NULL DEFAULT 0 CHECK (stale IN (0, 1))  -- decided on stale cached answers
);
CREATE INDEX identify_decisions_entity ON identify_decisions(entity_type, entity_id, id);

-- How an artist's MBID was found (tags, auto, user), how sure, and when it
-- was last checked: unidentified ones are re-checked after 1, 7, 30 days.
ALTER TABLE artists ADD COLUMN mbid_source TEXT CHECK (mbid_source IN ('tags', 'auto', 'user'));
ALTER TABLE artists ADD COLUMN mbid_confidence REAL;
ALTER TABLE artists ADD COLUMN identify_checked_at INTEGER;
ALTER TABLE artists ADD COLUMN identify_attempts INTEGER NOT NULL DEFAULT 0;
