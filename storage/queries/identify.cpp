#include "storage/queries/identify.hpp"

#include "support/time.hpp"

#include <unordered_map>

namespace discotheque::storage {

using nlohmann::json;

std::vector<artist_to_identify> artists_to_identify(database& db) {
  std::vector<artist_to_identify> out;
  std::unordered_map<int64_t, size_t> index;
  auto st = db.prepare(
    "SELECT id, name, mbid, identify_checked_at, identify_attempts FROM artists"
    " WHERE ownership_state != 'ignored'"
    " AND mbid_source IS NULL ORDER BY id");
  while (st.step()) {
    artist_to_identify a;
    a.id = st.int64(0);
    a.name = st.text(1);
    a.mbid = st.opt_text(2).value_or("");
    a.checked_at = st.opt_int64(3).value_or(0);
    a.attempts = st.opt_int64(4).value_or(0);
    index.emplace(a.id, out.size());
    out.push_back(std::move(a));
  }
  if (out.empty())
    return out;
  auto albums = db.prepare(
    "SELECT aa.artist_id, al.title FROM album_artists aa"
    " JOIN albums al ON al.id = aa.album_id JOIN artists ar ON ar.id = "
    "aa.artist_id WHERE ar.ownership_state != 'ignored'"
    " AND ar.mbid_source IS NULL ORDER BY aa.artist_id, al.id");
  while (albums.step())
    if (auto it = index.find(albums.int64(0)); it != index.end())
      out[it->second].album_titles.push_back(albums.text(1));
  auto isrcs = db.prepare(
    "SELECT t.artist_id, t.isrc FROM tracks t JOIN artists ar ON ar.id = "
    "t.artist_id WHERE t.isrc IS NOT NULL AND ar.ownership_state != 'ignored'"
    " AND ar.mbid_source IS NULL ORDER BY t.artist_id, "
    "t.id");
  while (isrcs.step())
    if (auto it = index.find(isrcs.int64(0)); it != index.end())
      if (out[it->second].isrcs.size() < 50)
        out[it->second].isrcs.push_back(isrcs.text(1));
  return out;
}

std::vector<artist_to_identify>
load_artists_to_identify(const std::filesystem::path& db_path) {
  auto db = database::open(db_path, database::mode::read_only);
  return artists_to_identify(db);
}

namespace {

struct entity_table {
  const char* table;
  const char* label;     ///< name or title
  const char* secondary; ///< release group / release track column or null
};

entity_table table_of(const std::string& type) {
  if (type == "artist")
    return {"artists", "name", nullptr};
  if (type == "album")
    return {"albums", "title", "release_group_mbid"};
  if (type == "track")
    return {"tracks", "title", "release_track_mbid"};
  throw std::invalid_argument("no such entity type: " + type);
}

} // namespace

std::optional<json> entity_matches(database& db, const std::string& type,
                                   int64_t id, int64_t limit) {
  auto t = table_of(type);
  std::string cols = std::string{t.label}
                     + ", mbid, mbid_source, mbid_confidence,"
                       " identify_checked_at, identify_attempts, "
                     + (type == "artist" ? "NULL" : t.secondary)
                     + ", mbid_unverified";
  auto a = db.prepare("SELECT " + cols + " FROM " + t.table + " WHERE id = ?1");
  a.bind(1, id);
  if (!a.step())
    return std::nullopt;
  auto opt_time = [](std::optional<int64_t> t) -> json {
    return t ? json(iso8601(*t)) : json(nullptr);
  };
  auto opt_str = [](std::optional<std::string> s) -> json {
    return s ? json(*s) : json(nullptr);
  };
  json out{{"id", id},
           {t.label, a.text(0)},
           {"mbid", opt_str(a.opt_text(1))},
           {"mbid_source", opt_str(a.opt_text(2))},
           {"confidence", a.is_null(3) ? json(nullptr) : json(a.real(3))},
           {"checked_at", opt_time(a.opt_int64(4))},
           {"attempts", a.int64(5)},
           {"unverified", a.int64(7) != 0}};
  if (type == "album")
    out["release_group_mbid"] = opt_str(a.opt_text(6));
  else if (type == "track")
    out["release_track_mbid"] = opt_str(a.opt_text(6));
  auto d = db.prepare(
    "SELECT decided_at, decided_by, outcome, chosen_mbid, source, confidence,"
    " margin, why, candidates, stale FROM identify_decisions"
    " WHERE entity_type = ?3 AND entity_id = ?1 ORDER BY id DESC"
    " LIMIT ?2");
  d.bind(1, id);
  d.bind(2, limit);
  d.bind(3, type);
  json decisions = json::array();
  while (d.step()) {
    auto candidates = json::parse(d.text(8), nullptr, false);
    decisions.push_back(
      {{"decided_at", iso8601(d.int64(0))},
       {"decided_by", d.text(1)},
       {"outcome", d.text(2)},
       {"chosen", d.opt_text(3) ? json(*d.opt_text(3)) : json(nullptr)},
       {"source", d.text(4)},
       {"confidence", d.is_null(5) ? json(nullptr) : json(d.real(5))},
       {"margin", d.is_null(6) ? json(nullptr) : json(d.real(6))},
       {"why", d.text(7)},
       {"candidates", candidates.is_discarded() ? json::array() : candidates},
       {"stale", d.int64(9) != 0}});
  }
  out["decision"] = decisions.empty() ? json(nullptr) : decisions[0];
  out["history"] = decisions;
  return out;
}

std::optional<json> artist_matches(database& db, int64_t artist_id,
                                   int64_t limit) {
  return entity_matches(db, "artist", artist_id, limit);
}

json unidentified(database& db, const std::string& type, int64_t limit,
                  int64_t offset) {
  auto t = table_of(type);
  std::string where = std::string{" FROM "} + t.table
                      + " e WHERE e.mbid IS NULL"
                        " AND e.ownership_state != 'ignored'";
  auto total = db.query_int("SELECT COUNT(*)" + where).value_or(0);
  auto st = db.prepare(
    "SELECT e.id, e." + std::string{t.label}
    + ", e.mbid_source, e.identify_checked_at, e.identify_attempts,"
      " (SELECT outcome FROM identify_decisions d WHERE d.entity_type = ?3"
      " AND d.entity_id = e.id ORDER BY d.id DESC LIMIT 1),"
      " (SELECT why FROM identify_decisions d WHERE d.entity_type = ?3"
      " AND d.entity_id = e.id ORDER BY d.id DESC LIMIT 1)"
    + where + " ORDER BY e.id LIMIT ?1 OFFSET ?2");
  st.bind(1, limit);
  st.bind(2, offset);
  st.bind(3, type);
  auto items = json::array();
  auto opt_str = [](std::optional<std::string> s) -> json {
    return s ? json(*s) : json(nullptr);
  };
  while (st.step()) {
    auto checked = st.opt_int64(3);
    items.push_back(
      {{"id", st.int64(0)},
       {t.label, st.text(1)},
       {"type", type},
       // a user's "none": not looked at again
       {"stopped", st.opt_text(2).value_or("") == "user"},
       {"checked_at", checked ? json(iso8601(*checked)) : json(nullptr)},
       {"attempts", st.int64(4)},
       {"outcome", opt_str(st.opt_text(5))},
       {"why", opt_str(st.opt_text(6))}});
  }
  return {
    {"items", items}, {"total", total}, {"limit", limit}, {"offset", offset}};
}

std::optional<cached_lookup> cached_mb_lookup(database& db,
                                              const std::string& type,
                                              const std::string& mbid) {
  const char* path = type == "artist"  ? "/artist/"
                     : type == "album" ? "/release/"
                                       : nullptr;
  if (path == nullptr)
    return std::nullopt;
  auto st = db.prepare("SELECT status, body FROM provider_cache"
                       " WHERE instr(url, ?1) > 0 ORDER BY fetched_at DESC"
                       " LIMIT 1");
  auto needle = std::string{path} + mbid + "?";
  st.bind(1, needle);
  if (!st.step())
    return std::nullopt;
  return cached_lookup{static_cast<int32_t>(st.int64(0)), st.text(1)};
}

std::optional<int64_t> other_with_mbid(database& db, const std::string& type,
                                       const std::string& mbid, int64_t id) {
  auto t = table_of(type);
  return db.query_int(std::string{"SELECT id FROM "} + t.table
                        + " WHERE mbid = ?1 AND id != ?2 LIMIT 1",
                      {sql_value::of(mbid), sql_value::of(id)});
}

} // namespace discotheque::storage

namespace discotheque::storage {

namespace {

track_to_identify track_row(statement& st, int first) {
  track_to_identify t;
  t.id = st.int64(first);
  t.album_id = st.opt_int64(first + 1).value_or(0);
  t.title = st.text(first + 2);
  t.disc = static_cast<int32_t>(st.opt_int64(first + 3).value_or(0));
  t.position = static_cast<int32_t>(st.opt_int64(first + 4).value_or(0));
  t.length_ms = st.opt_int64(first + 5).value_or(0);
  t.isrc = st.opt_text(first + 6).value_or("");
  t.mbid = st.opt_text(first + 7).value_or("");
  t.mbid_source = st.opt_text(first + 8).value_or("");
  t.artist_mbid = st.opt_text(first + 9).value_or("");
  t.checked_at = st.opt_int64(first + 10).value_or(0);
  t.attempts = st.opt_int64(first + 11).value_or(0);
  return t;
}

constexpr const char* track_columns
  = "t.id, t.album_id, t.title, t.disc_number, t.track_number,"
    " t.duration_ms, t.isrc, t.mbid, t.mbid_source, ta.mbid,"
    " t.identify_checked_at, t.identify_attempts";

} // namespace

std::vector<album_to_identify> albums_to_identify(database& db) {
  std::vector<album_to_identify> out;
  std::unordered_map<int64_t, size_t> index;
  // the first album artist (by position, then id) is the album's artist
  auto st = db.prepare(
    "SELECT al.id, al.title, ar.id, ar.name, ar.mbid, al.mbid,"
    " al.release_date, al.upc, al.total_tracks, al.identify_checked_at,"
    " al.identify_attempts FROM albums al JOIN artists ar ON ar.id ="
    " (SELECT aa.artist_id FROM album_artists aa WHERE aa.album_id = al.id"
    " ORDER BY aa.position, aa.artist_id LIMIT 1)"
    " WHERE al.ownership_state != 'ignored' AND al.mbid_source IS NULL"
    " AND ar.mbid IS NOT NULL ORDER BY ar.id, al.id");
  while (st.step()) {
    album_to_identify a;
    a.id = st.int64(0);
    a.title = st.text(1);
    a.artist_id = st.int64(2);
    a.artist = st.text(3);
    a.artist_mbid = st.text(4);
    a.mbid = st.opt_text(5).value_or("");
    a.release_date = st.opt_text(6).value_or("");
    a.upc = st.opt_text(7).value_or("");
    a.total_tracks = static_cast<int32_t>(st.opt_int64(8).value_or(0));
    a.checked_at = st.opt_int64(9).value_or(0);
    a.attempts = st.opt_int64(10).value_or(0);
    index.emplace(a.id, out.size());
    out.push_back(std::move(a));
  }
  if (out.empty())
    return out;
  auto tracks = db.prepare(
    std::string{"SELECT "} + track_columns
    + " FROM tracks t JOIN albums al ON al.id = t.album_id"
      " LEFT JOIN artists ta ON ta.id = t.artist_id"
      " WHERE al.mbid_source IS NULL AND t.ownership_state != 'ignored'"
      " ORDER BY t.album_id, COALESCE(t.disc_number, 0),"
      " COALESCE(t.track_number, 0), t.id");
  while (tracks.step()) {
    auto t = track_row(tracks, 0);
    if (auto it = index.find(t.album_id); it != index.end())
      out[it->second].tracks.push_back(std::move(t));
  }
  return out;
}

std::vector<album_to_identify>
load_albums_to_identify(const std::filesystem::path& db_path) {
  auto db = database::open(db_path, database::mode::read_only);
  return albums_to_identify(db);
}

tracks_to_identify tracks_to_identify_of(database& db) {
  tracks_to_identify out;
  std::unordered_map<std::string, size_t> index;
  auto on_release = db.prepare(
    std::string{"SELECT al.mbid, "} + track_columns
    + " FROM tracks t JOIN albums al ON al.id = t.album_id"
      " LEFT JOIN artists ta ON ta.id = t.artist_id"
      " WHERE al.mbid IS NOT NULL AND al.mbid_source IS NOT NULL"
      " AND t.mbid_source IS NULL AND t.ownership_state != 'ignored'"
      " ORDER BY t.album_id, COALESCE(t.disc_number, 0),"
      " COALESCE(t.track_number, 0), t.id");
  while (on_release.step()) {
    auto release = on_release.text(0);
    auto [it, added] = index.emplace(release, out.by_release.size());
    if (added)
      out.by_release.emplace_back(release, std::vector<track_to_identify>{});
    out.by_release[it->second].second.push_back(track_row(on_release, 1));
  }
  auto by_isrc = db.prepare(
    std::string{"SELECT "} + track_columns
    + " FROM tracks t LEFT JOIN albums al ON al.id = t.album_id"
      " LEFT JOIN artists ta ON ta.id = t.artist_id"
      " WHERE t.isrc IS NOT NULL AND t.mbid_source IS NULL"
      " AND t.ownership_state != 'ignored'"
      " AND (al.id IS NULL OR al.mbid IS NULL OR al.mbid_source IS NULL)"
      " ORDER BY t.id");
  while (by_isrc.step())
    out.by_isrc.push_back(track_row(by_isrc, 0));
  return out;
}

tracks_to_identify
load_tracks_to_identify(const std::filesystem::path& db_path) {
  auto db = database::open(db_path, database::mode::read_only);
  return tracks_to_identify_of(db);
}

} // namespace discotheque::storage
