-- Every spelling an artist row was seen with (library::artist_spelling:
-- folded, "The" kept), not only the one it shows (issue 11). The dedup store
-- matches a name-only artist by these; before this table its warm-up knew
-- only the displayed name's spelling, so a variant seen before a restart
-- ("Broken Foxes" on a row shown as "The Broken Foxes", met through their
-- MBID) made a new row after it. Written by the dedup store, read by its
-- warm-up.
CREATE TABLE artist_spellings (
  spelling  TEXT NOT NULL,
  artist_id INTEGER NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
  PRIMARY KEY (spelling, artist_id)
) WITHOUT ROWID;
CREATE INDEX artist_spellings_artist ON artist_spellings(artist_id);
