-- Discotheque schema, version 1. Times are Unix epoch milliseconds (UTC).
-- Rows are never deleted by the library logic: "deleting" changes ownership.

CREATE TABLE artists (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL,
  sort_name        TEXT,
  normalized_name  TEXT NOT NULL,
  mbid             TEXT,
  spotify_id       TEXT,
  deezer_id        TEXT,
  tidal_id         TEXT,
  ownership_state  TEXT NOT NULL DEFAULT 'discovered'
                   CHECK (ownership_state IN ('owned', 'discovered', 'ignored')),
  primary_source   TEXT CHECK (primary_source IN ('local', 'spotify', 'deezer', 'tidal')),
  genres           TEXT,            -- JSON array
  auto_add_albums  INTEGER NOT NULL DEFAULT 0 CHECK (auto_add_albums IN (0, 1)),
  last_error       TEXT,
  created_at       INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  updated_at       INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);
CREATE UNIQUE INDEX artists_mbid ON artists(mbid) WHERE mbid IS NOT NULL;
CREATE UNIQUE INDEX artists_spotify ON artists(spotify_id) WHERE spotify_id IS NOT NULL;
CREATE UNIQUE INDEX artists_deezer ON artists(deezer_id) WHERE deezer_id IS NOT NULL;
CREATE UNIQUE INDEX artists_tidal ON artists(tidal_id) WHERE tidal_id IS NOT NULL;
CREATE INDEX artists_normalized ON artists(normalized_name);
CREATE INDEX artists_ownership ON artists(ownership_state);

CREATE TABLE albums (
  id                 INTEGER PRIMARY KEY,
  title              TEXT NOT NULL,
  normalized_title   TEXT NOT NULL,
  mbid               TEXT,          -- MusicBrainz release
  release_group_mbid TEXT,
  spotify_id         TEXT,
  deezer_id          TEXT,
  tidal_id           TEXT,
  upc                TEXT,
  album_type         TEXT,          -- album, single, ep, compilation ...
  release_date       TEXT,          -- as precise as known: YYYY[-MM[-DD]]
  total_tracks       INTEGER,
  total_discs        INTEGER,
  genres             TEXT,          -- JSON array
  ownership_state    TEXT NOT NULL DEFAULT 'discovered'
                     CHECK (ownership_state IN ('owned', 'discovered', 'ignored')),
  primary_source     TEXT CHECK (primary_source IN ('local', 'spotify', 'deezer', 'tidal')),
  last_error         TEXT,
  created_at         INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  updated_at         INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);
CREATE UNIQUE INDEX albums_mbid ON albums(mbid) WHERE mbid IS NOT NULL;
CREATE INDEX albums_release_group ON albums(release_group_mbid);
CREATE UNIQUE INDEX albums_spotify ON albums(spotify_id) WHERE spotify_id IS NOT NULL;
CREATE UNIQUE INDEX albums_deezer ON albums(deezer_id) WHERE deezer_id IS NOT NULL;
CREATE UNIQUE INDEX albums_tidal ON albums(tidal_id) WHERE tidal_id IS NOT NULL;
CREATE INDEX albums_upc ON albums(upc);
CREATE INDEX albums_normalized ON albums(normalized_title);
CREATE INDEX albums_ownership ON albums(ownership_state);

-- album <-> artist (album artists, in credit order)
CREATE TABLE album_artists (
  album_id  INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
  artist_id INTEGER NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
  position  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (album_id, artist_id)
);
CREATE INDEX album_artists_artist ON album_artists(artist_id);

CREATE TABLE tracks (
  id                        INTEGER PRIMARY KEY,
  title                     TEXT NOT NULL,
  normalized_title          TEXT NOT NULL,
  mbid                      TEXT,    -- MusicBrainz recording
  release_track_mbid        TEXT,    -- MusicBrainz track (on a release)
  isrc                      TEXT,
  spotify_id                TEXT,
  deezer_id                 TEXT,
  tidal_id                  TEXT,
  album_id                  INTEGER REFERENCES albums(id) ON DELETE SET NULL,
  artist_id                 INTEGER REFERENCES artists(id) ON DELETE SET NULL,
  track_number              INTEGER,
  track_total               INTEGER,
  disc_number               INTEGER,
  disc_total                INTEGER,
  duration_ms               INTEGER,
  genre                     TEXT,
  ownership_state           TEXT NOT NULL DEFAULT 'discovered'
                            CHECK (ownership_state IN ('owned', 'discovered', 'ignored')),
  primary_source            TEXT CHECK (primary_source IN ('local', 'spotify', 'deezer', 'tidal')),
  download_state            TEXT NOT NULL DEFAULT 'not_needed'
                            CHECK (download_state IN ('not_needed', 'pending', 'downloading', 'downloaded', 'failed')),
  download_state_updated_at INTEGER,
  local_path                TEXT,
  file_size                 INTEGER,
  file_mtime                INTEGER,  -- nanoseconds since epoch, as stat() gives it
  orphaned                  INTEGER NOT NULL DEFAULT 0 CHECK (orphaned IN (0, 1)),
  last_error                TEXT,
  created_at                INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  updated_at                INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);
CREATE INDEX tracks_mbid ON tracks(mbid);
CREATE INDEX tracks_isrc ON tracks(isrc);
CREATE UNIQUE INDEX tracks_spotify ON tracks(spotify_id) WHERE spotify_id IS NOT NULL;
CREATE UNIQUE INDEX tracks_deezer ON tracks(deezer_id) WHERE deezer_id IS NOT NULL;
CREATE UNIQUE INDEX tracks_tidal ON tracks(tidal_id) WHERE tidal_id IS NOT NULL;
CREATE UNIQUE INDEX tracks_local_path ON tracks(local_path) WHERE local_path IS NOT NULL;
CREATE INDEX tracks_album ON tracks(album_id);
CREATE INDEX tracks_artist ON tracks(artist_id);
CREATE INDEX tracks_normalized ON tracks(normalized_title);
CREATE INDEX tracks_ownership ON tracks(ownership_state);
CREATE INDEX tracks_download_state ON tracks(download_state);

-- track <-> artist credits (main and featured artists, in order)
CREATE TABLE track_artists (
  track_id  INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  artist_id INTEGER NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
  role      TEXT NOT NULL DEFAULT 'main' CHECK (role IN ('main', 'featured')),
  position  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (track_id, artist_id)
);
CREATE INDEX track_artists_artist ON track_artists(artist_id);

-- Why an entity is owned: one row per (entity, source, reason). An entity
-- loses ownership only when its last claim is gone (SPEC §1, §4).
CREATE TABLE ownership_claims (
  entity_type TEXT NOT NULL CHECK (entity_type IN ('artist', 'album', 'track')),
  entity_id   INTEGER NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('local', 'spotify', 'deezer', 'tidal', 'user', 'playlist')),
  reason      TEXT NOT NULL CHECK (reason IN ('file', 'followed', 'saved', 'liked', 'manual', 'auto_own', 'discography')),
  created_at  INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  PRIMARY KEY (entity_type, entity_id, source, reason)
);
CREATE INDEX ownership_claims_source ON ownership_claims(source, reason);

CREATE TABLE playlists (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  provider       TEXT NOT NULL CHECK (provider IN ('local', 'spotify', 'deezer', 'tidal')),
  provider_id    TEXT NOT NULL,
  description    TEXT,
  is_followed    INTEGER NOT NULL DEFAULT 0 CHECK (is_followed IN (0, 1)),
  is_owner       INTEGER NOT NULL DEFAULT 0 CHECK (is_owner IN (0, 1)),
  cover_url      TEXT,
  cover_path     TEXT,
  track_count    INTEGER NOT NULL DEFAULT 0,
  snapshot_id    TEXT,
  sync_mode      TEXT NOT NULL DEFAULT 'reference_only'
                 CHECK (sync_mode IN ('reference_only', 'auto_own_tracks', 'disabled')),
  last_synced_at INTEGER,
  last_error     TEXT,
  created_at     INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  updated_at     INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  UNIQUE (provider, provider_id)
);

CREATE TABLE playlist_tracks (
  playlist_id INTEGER NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL CHECK (position >= 0),
  track_id    INTEGER NOT NULL REFERENCES tracks(id),
  added_at    TEXT,
  PRIMARY KEY (playlist_id, position)
);
CREATE INDEX playlist_tracks_track ON playlist_tracks(track_id);

CREATE TABLE images (
  id          INTEGER PRIMARY KEY,
  entity_type TEXT NOT NULL CHECK (entity_type IN ('artist', 'album', 'playlist')),
  entity_id   INTEGER NOT NULL,
  url         TEXT,
  source      TEXT CHECK (source IN ('coverartarchive', 'spotify', 'deezer', 'tidal', 'local')),
  path        TEXT,
  state       TEXT NOT NULL DEFAULT 'none'
              CHECK (state IN ('none', 'url_found', 'downloaded', 'failed')),
  last_error  TEXT,
  updated_at  INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  UNIQUE (entity_type, entity_id)
);
CREATE INDEX images_state ON images(state);

-- key -> JSON value
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL CHECK (json_valid(value)),
  updated_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);
INSERT INTO settings(key, value) VALUES
  ('library.auto_queue_downloads', 'false'),
  ('library.image_download_concurrency', '5');

CREATE TABLE task_runs (
  id          INTEGER PRIMARY KEY,
  task        TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  status      TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
  success     INTEGER CHECK (success IN (0, 1)),
  reason      TEXT,   -- skip reason (not_due, disabled, dependencies_not_met, provider_unavailable)
  error       TEXT,
  stats       TEXT CHECK (stats IS NULL OR json_valid(stats)),
  duration_ms INTEGER,
  trigger     TEXT NOT NULL DEFAULT 'schedule' CHECK (trigger IN ('schedule', 'manual', 'startup', 'command'))
);
CREATE INDEX task_runs_task ON task_runs(task, started_at);

CREATE TABLE provider_state (
  provider             TEXT PRIMARY KEY,
  breaker_state        TEXT NOT NULL DEFAULT 'closed'
                       CHECK (breaker_state IN ('closed', 'open', 'half_open')),
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  opened_at            INTEGER,
  blocked_until        INTEGER,
  last_success_at      INTEGER,
  last_error           TEXT,
  updated_at           INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);

-- One row per failed provider call, for the "errors in the last 24 h" count.
CREATE TABLE provider_errors (
  id       INTEGER PRIMARY KEY,
  provider TEXT NOT NULL,
  at       INTEGER NOT NULL,
  message  TEXT
);
CREATE INDEX provider_errors_at ON provider_errors(provider, at);

CREATE TABLE provider_tokens (
  provider      TEXT PRIMARY KEY,
  access_token  TEXT,
  refresh_token TEXT,
  expires_at    INTEGER,
  scope         TEXT,
  updated_at    INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);

-- Incremental scan: one row per scanned folder with a hash of its listing.
CREATE TABLE scan_folders (
  path       TEXT PRIMARY KEY,
  hash       TEXT NOT NULL,
  scanned_at INTEGER NOT NULL
);

-- Files the scan could not read, with the reason. Cleared when readable again.
CREATE TABLE scan_errors (
  path      TEXT PRIMARY KEY,
  reason    TEXT NOT NULL,
  file_size INTEGER,
  seen_at   INTEGER NOT NULL
);
