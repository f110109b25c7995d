#include "http/api/playlists.hpp"

#include "support/time.hpp"

namespace discotheque::http {

using nlohmann::json;

namespace {

const char* playlist_columns
  = "id, name, provider, provider_id, description, is_followed, is_owner,"
    " cover_url, cover_path, track_count, snapshot_id, sync_mode,"
    " last_synced_at, last_error";

json playlist_row(storage::statement& st) {
  auto opt = [&](int c) -> json {
    auto v = st.opt_text(c);
    return v ? json(*v) : json(nullptr);
  };
  json j{{"id", st.int64(0)},
         {"name", st.text(1)},
         {"provider", st.text(2)},
         {"provider_id", st.text(3)},
         {"description", opt(4)},
         {"is_followed", st.int64(5) != 0},
         {"is_owner", st.int64(6) != 0},
         {"cover_url", opt(7)},
         {"cover_path", opt(8)},
         {"track_count", st.int64(9)},
         {"snapshot_id", opt(10)},
         {"sync_mode", st.text(11)},
         {"last_synced_at", nullptr},
         {"last_error", opt(13)}};
  if (auto t = st.opt_int64(12))
    j["last_synced_at"] = iso8601(*t);
  return j;
}

std::optional<int64_t> parse_id(const std::string& s) {
  if (s.empty() || s.size() > 18)
    return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

response method_not_allowed(const std::string& allowed) {
  auto r = json_error(405, "method_not_allowed", "allowed: " + allowed);
  r.headers.emplace_back("Allow", allowed);
  return r;
}

std::optional<json> find_playlist(storage::database& ro, int64_t id) {
  auto st = ro.prepare(std::string{"SELECT "} + playlist_columns
                       + " FROM playlists WHERE id = ?1");
  st.bind(1, id);
  if (!st.step())
    return std::nullopt;
  return playlist_row(st);
}

} // namespace

std::optional<api_outcome> playlists_api(const request& req,
                                         storage::database& ro) {
  const std::string prefix = "/api/library/playlists";
  if (req.path.rfind(prefix, 0) != 0)
    return std::nullopt;
  auto rest = req.path.substr(prefix.size());
  if (!rest.empty() && rest != "/" && rest.front() != '/')
    return std::nullopt; // e.g. /api/library/playlistsfoo
  if (rest.empty() || rest == "/") {
    if (req.method != "GET")
      return api_outcome{method_not_allowed("GET"), std::nullopt};
    json list = json::array();
    auto st = ro.prepare(std::string{"SELECT "} + playlist_columns
                         + " FROM playlists ORDER BY provider, name, id");
    while (st.step())
      list.push_back(playlist_row(st));
    return api_outcome{json_ok(json{{"playlists", list}}), std::nullopt};
  }
  auto id_text = rest.substr(1);
  if (!id_text.empty() && id_text.back() == '/')
    id_text.pop_back();
  auto id = parse_id(id_text);
  if (!id)
    return api_outcome{json_error(404, "not_found",
                                  "no such playlist: " + id_text),
                       std::nullopt};
  auto playlist = find_playlist(ro, *id);
  if (!playlist)
    return api_outcome{json_error(404, "not_found",
                                  "no such playlist: " + id_text),
                       std::nullopt};
  if (req.method == "GET") {
    json tracks = json::array();
    auto st = ro.prepare(
      "SELECT pt.position, t.id, t.title, t.ownership_state, t.download_state,"
      " t.isrc, t.spotify_id, t.deezer_id, t.tidal_id, pt.added_at,"
      " (SELECT a.name FROM artists a WHERE a.id = t.artist_id)"
      " FROM playlist_tracks pt JOIN tracks t ON t.id = pt.track_id"
      " WHERE pt.playlist_id = ?1 ORDER BY pt.position");
    st.bind(1, *id);
    while (st.step()) {
      auto opt = [&](int c) -> json {
        auto v = st.opt_text(c);
        return v ? json(*v) : json(nullptr);
      };
      tracks.push_back(json{{"position", st.int64(0)},
                            {"track_id", st.int64(1)},
                            {"title", st.text(2)},
                            {"artist", opt(10)},
                            {"ownership_state", st.text(3)},
                            {"owned", st.text(3) == "owned"},
                            {"download_state", st.text(4)},
                            {"isrc", opt(5)},
                            {"spotify_id", opt(6)},
                            {"deezer_id", opt(7)},
                            {"tidal_id", opt(8)},
                            {"added_at", opt(9)}});
    }
    (*playlist)["tracks"] = tracks;
    return api_outcome{json_ok(*playlist), std::nullopt};
  }
  if (req.method == "PUT") {
    auto body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      return api_outcome{json_error(400, "bad_request",
                                    "the body must be a JSON object"),
                         std::nullopt};
    for (const auto& [k, v] : body.items())
      if (k != "sync_mode")
        return api_outcome{json_error(400, "bad_request",
                                      "unknown field '" + k
                                        + "' (only sync_mode can be changed)"),
                           std::nullopt};
    if (!body.contains("sync_mode") || !body["sync_mode"].is_string())
      return api_outcome{json_error(400, "bad_request",
                                    "sync_mode must be a string"),
                         std::nullopt};
    auto mode = body["sync_mode"].get<std::string>();
    if (mode != "reference_only" && mode != "auto_own_tracks"
        && mode != "disabled")
      return api_outcome{
        json_error(400, "bad_request",
                   "sync_mode must be reference_only, auto_own_tracks or "
                   "disabled"),
        std::nullopt};
    (*playlist)["sync_mode"] = mode;
    write_request w{{sql_stmt{
      "UPDATE playlists SET sync_mode = ?1, updated_at = ?2 WHERE id = ?3",
      {sql_value::of(mode), sql_value::of(now_ms()), sql_value::of(*id)}}}};
    return api_outcome{json_ok(*playlist), std::move(w)};
  }
  return api_outcome{method_not_allowed("GET, PUT"), std::nullopt};
}

} // namespace discotheque::http
