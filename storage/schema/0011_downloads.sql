-- The download worker (issue 15). tracks.download_state stays the SPEC §1
-- state (pending -> downloading -> downloaded | failed); these tables hold
-- what the worker needs beside it. Times are Unix epoch milliseconds.

-- One row per track the worker has touched: where it is inside
-- `downloading`, the transfer it holds (at most one), its failures and
-- when a failed track goes back to pending.
CREATE TABLE download_jobs (
  track_id    INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
  phase       TEXT NOT NULL DEFAULT 'searching'
              CHECK (phase IN ('searching', 'transferring', 'importing', 'done', 'failed')),
  priority    INTEGER NOT NULL DEFAULT 0, -- higher first (1: asked for by hand)
  attempts    INTEGER NOT NULL DEFAULT 0, -- failures so far
  retry_at    INTEGER,                    -- failed -> pending then; NULL: stays failed
  client      TEXT,                       -- 'slskd'
  username    TEXT,
  remote_path TEXT,
  size        INTEGER,
  transfer_id TEXT,
  last_error  TEXT,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX download_jobs_retry ON download_jobs(retry_at) WHERE retry_at IS NOT NULL;

-- Every transition of a track's download_state, with its time and reason.
CREATE TABLE download_events (
  id         INTEGER PRIMARY KEY,
  track_id   INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  at         INTEGER NOT NULL,
  from_state TEXT,
  to_state   TEXT NOT NULL,
  reason     TEXT
);
CREATE INDEX download_events_track ON download_events(track_id, at);
CREATE INDEX download_events_at ON download_events(at);

-- Why each file was chosen: the decision record (JSON: query, candidates
-- with score breakdowns, chosen, runner-up, margin).
CREATE TABLE download_decisions (
  id          INTEGER PRIMARY KEY,
  track_id    INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  at          INTEGER NOT NULL,
  client      TEXT NOT NULL,
  query       TEXT NOT NULL,
  chosen_user TEXT,
  chosen_path TEXT,
  margin      REAL,
  record      TEXT NOT NULL
);
CREATE INDEX download_decisions_track ON download_decisions(track_id, at);

-- (user, file) pairs that failed or were rejected: kept for good, applied
-- before ranking, so a quarantined source never wins again.
CREATE TABLE download_blocklist (
  client      TEXT NOT NULL,
  username    TEXT NOT NULL,
  remote_path TEXT NOT NULL,
  reason      TEXT NOT NULL,
  track_id    INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
  at          INTEGER NOT NULL,
  PRIMARY KEY (client, username, remote_path)
);
