#include "storage/queries/expand.hpp"

#include <nlohmann/json.hpp>

#include <unordered_map>

namespace discotheque::storage {

namespace {

std::optional<std::string> setting(database& db, const char* key) {
  return db.query_text("SELECT value FROM settings WHERE key = ?1",
                       {sql_value::of(std::string{key})});
}

} // namespace

expand_plan expand_plan_of(database& db, const std::string& task) {
  expand_plan plan;
  plan.profile = setting(db, "library.metadata_profile").value_or("");
  plan.auto_queue = setting(db, "library.auto_queue_downloads").value_or("")
                    == "true";
  if (auto days = setting(db, "library.new_release_days")) {
    auto v = nlohmann::json::parse(*days, nullptr, false);
    if (v.is_number_integer() && v.get<int64_t>() > 0)
      plan.new_release_days = v.get<int64_t>();
  }
  plan.last_success_at
    = db.query_int("SELECT max(started_at) FROM task_runs WHERE task = ?1"
                   " AND status = 'succeeded'",
                   {sql_value::of(task)})
        .value_or(0);
  std::unordered_map<int64_t, size_t> artist_at;
  auto artists = db.prepare(
    "SELECT id, name, mbid, metadata_profile, auto_add_albums FROM artists"
    " WHERE ownership_state = 'owned' AND mbid IS NOT NULL ORDER BY id");
  while (artists.step()) {
    artist_to_expand a;
    a.id = artists.int64(0);
    a.name = artists.text(1);
    a.mbid = artists.text(2);
    a.profile = artists.opt_text(3).value_or("");
    a.monitor = artists.int64(4) != 0;
    artist_at.emplace(a.id, plan.artists.size());
    plan.artists.push_back(std::move(a));
  }
  if (plan.artists.empty())
    return plan;
  // album id -> (artist index, album index), for the tracks below
  std::unordered_map<int64_t, std::vector<std::pair<size_t, size_t>>> album_at;
  auto albums = db.prepare(
    "SELECT aa.artist_id, al.id, al.title, al.mbid, al.release_group_mbid,"
    " al.release_date, al.total_tracks, al.ownership_state FROM album_artists"
    " aa JOIN albums al ON al.id = aa.album_id JOIN artists ar ON ar.id ="
    " aa.artist_id WHERE ar.ownership_state = 'owned' AND ar.mbid IS NOT NULL"
    " ORDER BY aa.artist_id, al.id");
  while (albums.step()) {
    auto it = artist_at.find(albums.int64(0));
    if (it == artist_at.end())
      continue;
    album_in_library al;
    al.id = albums.int64(1);
    al.title = albums.text(2);
    al.mbid = albums.opt_text(3).value_or("");
    al.release_group_mbid = albums.opt_text(4).value_or("");
    al.release_date = albums.opt_text(5).value_or("");
    al.total_tracks = static_cast<int32_t>(albums.opt_int64(6).value_or(0));
    al.ownership_state = albums.text(7);
    auto& list = plan.artists[it->second].albums;
    if (al.release_group_mbid.empty())
      album_at[al.id].emplace_back(it->second, list.size());
    list.push_back(std::move(al));
  }
  if (album_at.empty())
    return plan;
  auto tracks = db.prepare(
    "SELECT t.album_id, t.id, t.title, t.disc_number, t.track_number,"
    " t.duration_ms, t.isrc FROM tracks t JOIN albums al ON al.id ="
    " t.album_id WHERE al.release_group_mbid IS NULL AND t.ownership_state"
    " != 'ignored' ORDER BY t.album_id, t.disc_number, t.track_number, t.id");
  while (tracks.step()) {
    auto it = album_at.find(tracks.int64(0));
    if (it == album_at.end())
      continue;
    track_to_identify t;
    t.album_id = tracks.int64(0);
    t.id = tracks.int64(1);
    t.title = tracks.text(2);
    t.disc = static_cast<int32_t>(tracks.opt_int64(3).value_or(0));
    t.position = static_cast<int32_t>(tracks.opt_int64(4).value_or(0));
    t.length_ms = tracks.opt_int64(5).value_or(0);
    t.isrc = tracks.opt_text(6).value_or("");
    for (auto [ai, bi] : it->second)
      plan.artists[ai].albums[bi].tracks.push_back(t);
  }
  return plan;
}

expand_plan load_expand_plan(const std::filesystem::path& db_path,
                             const std::string& task) {
  auto db = database::open(db_path, database::mode::read_only);
  return expand_plan_of(db, task);
}

std::optional<artist_expand_settings> artist_expand_settings_of(database& db,
                                                                int64_t id) {
  auto st = db.prepare(
    "SELECT metadata_profile, auto_add_albums FROM artists WHERE id = ?1");
  st.bind(1, id);
  if (!st.step())
    return std::nullopt;
  return artist_expand_settings{st.opt_text(0).value_or(""), st.int64(1) != 0};
}

} // namespace discotheque::storage
