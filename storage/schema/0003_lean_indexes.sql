-- Fewer index updates per written row (issue 4 cold scan, issue 5 sync
-- throughput). Matching happens in the dedup store's memory, and name search
-- in the API is a substring LIKE, which no index serves: the normalized-name
-- indexes were only ever written. MBID, ISRC, UPC and release-group lookups
-- never ask for NULL, so those indexes only hold rows that have a value.
DROP INDEX IF EXISTS artists_normalized;
DROP INDEX IF EXISTS albums_normalized;
DROP INDEX IF EXISTS tracks_normalized;
DROP INDEX IF EXISTS tracks_mbid;
CREATE INDEX tracks_mbid ON tracks(mbid) WHERE mbid IS NOT NULL;
DROP INDEX IF EXISTS tracks_isrc;
CREATE INDEX tracks_isrc ON tracks(isrc) WHERE isrc IS NOT NULL;
DROP INDEX IF EXISTS albums_upc;
CREATE INDEX albums_upc ON albums(upc) WHERE upc IS NOT NULL;
DROP INDEX IF EXISTS albums_release_group;
CREATE INDEX albums_release_group ON albums(release_group_mbid)
  WHERE release_group_mbid IS NOT NULL;
