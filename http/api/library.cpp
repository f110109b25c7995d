#include "http/api/library.hpp"

#include "library/normalize.hpp"
#include "support/time.hpp"

#include <charconv>
#include <set>

namespace discotheque::http {

using nlohmann::json;

namespace {

struct bad_request : std::runtime_error {
  using std::runtime_error::runtime_error;
};

int64_t int_param(const request& req, const std::string& name, int64_t def,
                  int64_t lo, int64_t hi) {
  auto it = req.query.find(name);
  if (it == req.query.end() || it->second.empty())
    return def;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(it->second.data(),
                                 it->second.data() + it->second.size(), v);
  if (ec != std::errc{} || p != it->second.data() + it->second.size() || v < lo
      || v > hi)
    throw bad_request(name + " must be an integer in [" + std::to_string(lo)
                      + ", " + std::to_string(hi) + "]");
  return v;
}

std::string enum_param(const request& req, const std::string& name,
                       const std::set<std::string>& allowed) {
  auto it = req.query.find(name);
  if (it == req.query.end() || it->second.empty())
    return {};
  if (!allowed.count(it->second)) {
    std::string list;
    for (auto& a : allowed)
      list += (list.empty() ? "" : ", ") + a;
    throw bad_request(name + " must be one of: " + list);
  }
  return it->second;
}

const std::set<std::string> ownership_states{"owned", "discovered", "ignored"};
const std::set<std::string> sources{"local", "spotify", "deezer", "tidal"};
const std::set<std::string> download_states{
  "not_needed", "pending", "downloading", "downloaded", "failed"};

/// A row as a JSON object keyed by column names; "genres" parsed.
json row(storage::statement& s, sqlite3_stmt* raw) {
  json o = json::object();
  for (int i = 0; i < s.columns(); ++i) {
    auto name = s.column_name(i);
    switch (sqlite3_column_type(raw, i)) {
      case SQLITE_NULL:
        o[name] = nullptr;
        break;
      case SQLITE_INTEGER:
        o[name] = s.int64(i);
        break;
      case SQLITE_FLOAT:
        o[name] = s.real(i);
        break;
      default: {
        auto t = s.text(i);
        if (name == "genres") {
          auto parsed = json::parse(t, nullptr, false);
          o[name] = parsed.is_discarded() ? json(t) : parsed;
        } else {
          o[name] = t;
        }
      }
    }
  }
  return o;
}

/// Runs `sql` with `params` and returns every row as JSON objects.
json rows(storage::database& db, const std::string& sql,
          const std::vector<sql_value>& params) {
  sqlite3_stmt* raw = nullptr;
  db.check(sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &raw, nullptr),
           "prepare");
  storage::statement s{db.handle(), raw};
  s.bind_all(params);
  json out = json::array();
  while (s.step())
    out.push_back(row(s, raw));
  return out;
}

struct list_spec {
  const char* table;
  const char* columns;
  const char* name_column; ///< normalized name column for q
  bool tracks = false;
  bool albums = false;
};

const char* artist_columns
  = "id, name, sort_name, mbid, spotify_id, deezer_id, tidal_id, "
    "ownership_state, primary_source, genres, last_error, created_at, "
    "updated_at";
const char* album_columns
  = "id, title, mbid, release_group_mbid, spotify_id, deezer_id, tidal_id, "
    "upc, album_type, release_date, total_tracks, total_discs, genres, "
    "ownership_state, primary_source, last_error, created_at, updated_at";
const char* track_columns
  = "id, title, mbid, release_track_mbid, isrc, spotify_id, deezer_id, "
    "tidal_id, album_id, artist_id, track_number, track_total, disc_number, "
    "disc_total, duration_ms, genre, ownership_state, primary_source, "
    "download_state, download_state_updated_at, local_path, file_size, "
    "file_mtime, orphaned, last_error, created_at, updated_at";

response list(const request& req, storage::database& db,
              const list_spec& spec) {
  auto limit = int_param(req, "limit", 50, 1, 500);
  auto offset = int_param(req, "offset", 0, 0, INT64_MAX);
  std::string where = " WHERE 1 = 1";
  std::vector<sql_value> params;
  auto add = [&](const std::string& cond, sql_value v) {
    params.push_back(std::move(v));
    where += " AND " + cond + " ?" + std::to_string(params.size());
  };
  if (auto v = enum_param(req, "ownership_state", ownership_states); !v.empty())
    add("ownership_state =", sql_value::of(v));
  if (auto v = enum_param(req, "source", sources); !v.empty())
    add("primary_source =", sql_value::of(v));
  if (spec.tracks) {
    if (auto v = enum_param(req, "download_state", download_states); !v.empty())
      add("download_state =", sql_value::of(v));
    if (auto v = int_param(req, "album_id", 0, 0, INT64_MAX); v)
      add("album_id =", sql_value::of(v));
    if (auto v = int_param(req, "artist_id", 0, 0, INT64_MAX); v) {
      add("id IN (SELECT track_id FROM track_artists WHERE artist_id =",
          sql_value::of(v));
      where += ")";
    }
  }
  if (spec.albums) {
    if (auto v = int_param(req, "artist_id", 0, 0, INT64_MAX); v) {
      add("id IN (SELECT album_id FROM album_artists WHERE artist_id =",
          sql_value::of(v));
      where += ")";
    }
  }
  if (auto it = req.query.find("q");
      it != req.query.end() && !it->second.empty()) {
    // Folded like the stored names, so "bjork" finds "Björk".
    auto folded = library::fold(it->second);
    std::string pattern = "%";
    for (char c : folded) {
      if (c == '%' || c == '_' || c == '\\')
        pattern += '\\';
      pattern += c;
    }
    pattern += "%";
    add(std::string{spec.name_column} + " LIKE", sql_value::of(pattern));
    where += " ESCAPE '\\'";
  }
  auto total
    = db.query_int(std::string{"SELECT count(*) FROM "} + spec.table + where,
                   params)
        .value_or(0);
  auto page_params = params;
  page_params.push_back(sql_value::of(limit));
  page_params.push_back(sql_value::of(offset));
  auto items = rows(db,
                    std::string{"SELECT "} + spec.columns + " FROM "
                      + spec.table + where + " ORDER BY id LIMIT ?"
                      + std::to_string(params.size() + 1) + " OFFSET ?"
                      + std::to_string(params.size() + 2),
                    page_params);
  return json_ok(json{{"items", std::move(items)},
                      {"total", total},
                      {"limit", limit},
                      {"offset", offset}});
}

response one(const std::string& kind, int64_t id, storage::database& db) {
  auto idp = std::vector<sql_value>{sql_value::of(id)};
  json body;
  if (kind == "artists") {
    auto r = rows(db,
                  std::string{"SELECT "} + artist_columns
                    + " FROM artists WHERE id = ?1",
                  idp);
    if (r.empty())
      return json_error(404, "not_found", "no artist " + std::to_string(id));
    body = r[0];
    body["albums"] = rows(db,
                          "SELECT a.id, a.title, a.mbid, a.ownership_state, "
                          "a.release_date FROM albums a JOIN album_artists aa"
                          " ON aa.album_id = a.id WHERE aa.artist_id = ?1 "
                          "ORDER BY a.release_date, a.id",
                          idp);
    body["track_count"] = db.query_int("SELECT count(*) FROM track_artists "
                                       "WHERE artist_id = ?1",
                                       idp)
                            .value_or(0);
    body["owned_track_count"]
      = db.query_int("SELECT count(*) FROM tracks t JOIN track_artists ta ON "
                     "ta.track_id = t.id WHERE ta.artist_id = ?1 AND "
                     "t.ownership_state = 'owned'",
                     idp)
          .value_or(0);
  } else if (kind == "albums") {
    auto r = rows(
      db, std::string{"SELECT "} + album_columns + " FROM albums WHERE id = ?1",
      idp);
    if (r.empty())
      return json_error(404, "not_found", "no album " + std::to_string(id));
    body = r[0];
    body["artists"] = rows(db,
                           "SELECT ar.id, ar.name, ar.mbid, aa.position FROM "
                           "artists ar JOIN album_artists aa ON aa.artist_id "
                           "= ar.id WHERE aa.album_id = ?1 ORDER BY "
                           "aa.position",
                           idp);
    body["tracks"] = rows(db,
                          "SELECT id, title, disc_number, track_number, "
                          "duration_ms, ownership_state, download_state, "
                          "local_path FROM tracks WHERE album_id = ?1 ORDER BY"
                          " disc_number, track_number, id",
                          idp);
  } else {
    auto r = rows(
      db, std::string{"SELECT "} + track_columns + " FROM tracks WHERE id = ?1",
      idp);
    if (r.empty())
      return json_error(404, "not_found", "no track " + std::to_string(id));
    body = r[0];
    body["artists"] = rows(db,
                           "SELECT ar.id, ar.name, ar.mbid, ta.role, "
                           "ta.position FROM artists ar JOIN track_artists ta"
                           " ON ta.artist_id = ar.id WHERE ta.track_id = ?1 "
                           "ORDER BY ta.position",
                           idp);
    auto album = rows(db,
                      "SELECT a.id, a.title, a.mbid FROM albums a JOIN "
                      "tracks t ON t.album_id = a.id WHERE t.id = ?1",
                      idp);
    body["album"] = album.empty() ? json(nullptr) : album[0];
  }
  auto type = kind.substr(0, kind.size() - 1);
  body["claims"] = rows(db,
                        "SELECT source, reason, created_at FROM "
                        "ownership_claims WHERE entity_type = ?2 AND "
                        "entity_id = ?1 ORDER BY source, reason",
                        {sql_value::of(id), sql_value::of(type)});
  return json_ok(body);
}

response scan_errors(const request& req, storage::database& db) {
  auto limit = int_param(req, "limit", 50, 1, 500);
  auto offset = int_param(req, "offset", 0, 0, INT64_MAX);
  auto total = db.query_int("SELECT count(*) FROM scan_errors").value_or(0);
  auto items = rows(db,
                    "SELECT path, reason, file_size, seen_at FROM scan_errors"
                    " ORDER BY path LIMIT ?1 OFFSET ?2",
                    {sql_value::of(limit), sql_value::of(offset)});
  for (auto& i : items)
    i["seen_at"] = iso8601(i["seen_at"].get<int64_t>());
  return json_ok(json{{"items", std::move(items)},
                      {"total", total},
                      {"limit", limit},
                      {"offset", offset}});
}

} // namespace

std::optional<api_outcome> library_api(const request& req,
                                       storage::database& ro) {
  static const std::string prefix = "/api/library/";
  if (req.path.rfind(prefix, 0) != 0)
    return std::nullopt;
  auto rest = req.path.substr(prefix.size());
  while (!rest.empty() && rest.back() == '/')
    rest.pop_back();
  auto slash = rest.find('/');
  auto kind = rest.substr(0, slash);
  auto tail = slash == std::string::npos ? "" : rest.substr(slash + 1);
  bool mine = ((kind == "artists" || kind == "albums" || kind == "tracks")
               && tail.find('/') == std::string::npos)
              || rest == "scan/errors";
  if (!mine)
    return std::nullopt;
  if (req.method != "GET" && req.method != "HEAD")
    return api_outcome{json_error(405, "method_not_allowed",
                                  "use GET for " + req.path),
                       std::nullopt};
  try {
    if (rest == "scan/errors")
      return api_outcome{scan_errors(req, ro), std::nullopt};
    if (tail.empty()) {
      list_spec spec{kind == "artists"  ? "artists"
                     : kind == "albums" ? "albums"
                                        : "tracks",
                     kind == "artists"  ? artist_columns
                     : kind == "albums" ? album_columns
                                        : track_columns,
                     kind == "artists" ? "normalized_name" : "normalized_title",
                     kind == "tracks", kind == "albums"};
      return api_outcome{list(req, ro, spec), std::nullopt};
    }
    int64_t id = 0;
    auto [p, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), id);
    if (ec != std::errc{} || p != tail.data() + tail.size() || id <= 0)
      return api_outcome{json_error(400, "bad_request", "not an id: " + tail),
                         std::nullopt};
    return api_outcome{one(kind, id, ro), std::nullopt};
  } catch (const bad_request& e) {
    return api_outcome{json_error(400, "bad_request", e.what()), std::nullopt};
  } catch (const std::exception& e) {
    return api_outcome{json_error(500, "database_error", e.what()),
                       std::nullopt};
  }
}

} // namespace discotheque::http
