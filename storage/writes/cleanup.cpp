#include "storage/writes/cleanup.hpp"

namespace discotheque::storage::writes {

namespace {

// A row holds ownership through its own claims; an album also through an
// owned track, an artist through an owned album or an owned track it is
// the (main) artist of. `x` is the row of the UPDATE.
const std::string track_unclaimed
  = "NOT EXISTS (SELECT 1 FROM ownership_claims c WHERE c.entity_type = "
    "'track' AND c.entity_id = x.id)";
const std::string album_unheld
  = "NOT EXISTS (SELECT 1 FROM ownership_claims c WHERE c.entity_type = "
    "'album' AND c.entity_id = x.id) AND NOT EXISTS (SELECT 1 FROM tracks t "
    "WHERE t.album_id = x.id AND t.ownership_state = 'owned')";
const std::string artist_unheld
  = "NOT EXISTS (SELECT 1 FROM ownership_claims c WHERE c.entity_type = "
    "'artist' AND c.entity_id = x.id) AND NOT EXISTS (SELECT 1 FROM tracks t "
    "WHERE t.ownership_state = 'owned' AND (t.artist_id = x.id OR t.id IN "
    "(SELECT track_id FROM track_artists WHERE artist_id = x.id AND role = "
    "'main'))) AND NOT EXISTS (SELECT 1 FROM album_artists aa JOIN albums a "
    "ON a.id = aa.album_id WHERE aa.artist_id = x.id AND a.ownership_state = "
    "'owned')";

/// Rows the user deleted (unown) and that are still not owned.
std::string deleted(const std::string& type, const std::string& table) {
  return "(SELECT d.id FROM " + table
         + " d WHERE d.ownership_state = 'discovered' AND EXISTS (SELECT 1 "
           "FROM ownership_changes o WHERE o.action = 'unown' AND "
           "o.entity_type = '"
         + type + "' AND o.entity_id = d.id))";
}

std::string release(const std::string& table, const std::string& where) {
  return "UPDATE " + table
         + " AS x SET ownership_state = 'discovered', updated_at = ?1 WHERE "
           "x.ownership_state = 'owned' AND "
         + where;
}

} // namespace

cleanup_plan cleanup_library(int64_t now_ms) {
  cleanup_plan plan;
  auto add = [&](std::string name, std::string sql) {
    plan.req.statements.push_back(
      sql_stmt{std::move(sql), {sql_value::of(now_ms)}});
    plan.names.push_back(std::move(name));
  };
  // 4. Referential orphans. An album reference to a missing row is cleared
  // too (the track is not orphaned by it: it still has its artist).
  add("orphans.album_refs_cleared",
      "UPDATE tracks SET album_id = NULL, updated_at = ?1 WHERE album_id IS "
      "NOT NULL AND NOT EXISTS (SELECT 1 FROM albums a WHERE a.id = "
      "tracks.album_id)");
  add("orphans.found",
      "UPDATE tracks SET artist_id = NULL, orphaned = 1, updated_at = ?1 "
      "WHERE artist_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM artists a "
      "WHERE a.id = tracks.artist_id)");
  // The same recording (ISRC) elsewhere with a real artist, else the
  // track's own main credit to an existing artist.
  const std::string by_isrc
    = "SELECT o.artist_id FROM tracks o JOIN artists a ON a.id = o.artist_id "
      "WHERE o.isrc = tracks.isrc AND o.id <> tracks.id ORDER BY o.id LIMIT 1";
  add("orphans.reattached_by_isrc",
      "UPDATE tracks SET artist_id = (" + by_isrc
        + "), orphaned = 0, updated_at = ?1 WHERE orphaned = 1 AND artist_id "
          "IS NULL AND isrc IS NOT NULL AND EXISTS ("
        + by_isrc + ")");
  const std::string by_credit
    = "SELECT ta.artist_id FROM track_artists ta JOIN artists a ON a.id = "
      "ta.artist_id WHERE ta.track_id = tracks.id AND ta.role = 'main' ORDER "
      "BY ta.position LIMIT 1";
  add("orphans.reattached_by_name",
      "UPDATE tracks SET artist_id = (" + by_credit
        + "), orphaned = 0, updated_at = ?1 WHERE orphaned = 1 AND artist_id "
          "IS NULL AND EXISTS ("
        + by_credit + ")");
  // 5. Old failed downloads.
  plan.req.statements.push_back(sql_stmt{
    "UPDATE tracks SET download_state = 'not_needed', "
    "download_state_updated_at = ?1, updated_at = ?1 WHERE download_state = "
    "'failed' AND download_state_updated_at < ?2",
    {sql_value::of(now_ms),
     sql_value::of(now_ms - failed_download_days * 24 * 3600 * 1000)}});
  plan.names.push_back("failed_downloads.reset");
  // 1. Artists the user deleted: what lies under them and nothing holds.
  auto artists = deleted("artist", "artists");
  add("artist_deleted.tracks",
      release("tracks", track_unclaimed + " AND (x.artist_id IN " + artists
                          + " OR x.album_id IN (SELECT album_id FROM "
                            "album_artists WHERE artist_id IN "
                          + artists + "))"));
  add("artist_deleted.albums",
      release("albums", album_unheld
                          + " AND x.id IN (SELECT album_id FROM album_artists "
                            "WHERE artist_id IN "
                          + artists + ")"));
  // 2. Albums the user deleted: their tracks, then their artists.
  auto albums = deleted("album", "albums");
  add("album_deleted.tracks",
      release("tracks", track_unclaimed + " AND x.album_id IN " + albums));
  add("album_deleted.artists",
      release("artists", artist_unheld
                           + " AND x.id IN (SELECT artist_id FROM "
                             "album_artists WHERE album_id IN "
                           + albums + ")"));
  // 3. Tracks no claim holds (unliked everywhere), then what they held.
  add("track_unliked.tracks", release("tracks", track_unclaimed));
  add("track_unliked.albums",
      release("albums", album_unheld
                          + " AND EXISTS (SELECT 1 FROM tracks t WHERE "
                            "t.album_id = x.id)"));
  // An artist without albums or tracks is incomplete, not released.
  add("track_unliked.artists",
      release("artists",
              artist_unheld
                + " AND (EXISTS (SELECT 1 FROM tracks t WHERE t.artist_id = "
                  "x.id) OR EXISTS (SELECT 1 FROM album_artists aa WHERE "
                  "aa.artist_id = x.id))"));
  add("", "INSERT INTO ownership_changes(action, entity_type, entity_id, at) "
          "VALUES ('cleanup', 'library', 0, ?1)");
  return plan;
}

} // namespace discotheque::storage::writes
