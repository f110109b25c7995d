#include "http/api/playlists.hpp"

#include "storage/queries/library.hpp"
#include "storage/writes/user.hpp"
#include "support/time.hpp"

#include <variant>

namespace discotheque::http {

using nlohmann::json;

namespace {

namespace q = storage::queries;

/// A playlist row as the API shows it: flags as booleans, times as ISO-8601.
json render_playlist(json row) {
  row["is_followed"] = row["is_followed"] != 0;
  row["is_owner"] = row["is_owner"] != 0;
  if (row["last_synced_at"].is_number())
    row["last_synced_at"] = iso8601(row["last_synced_at"].get<int64_t>());
  return row;
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

} // namespace

namespace {

api_outcome list_playlists(const request&, const path_params&,
                           storage::database& ro) {
  json list = json::array();
  for (auto& row : q::playlists(ro))
    list.push_back(render_playlist(std::move(row)));
  return api_outcome{json_ok(json{{"playlists", list}}), std::nullopt};
}

/// The playlist the path names (rendered), or the 404 to answer.
std::variant<json, api_outcome> find(const path_params& p,
                                     storage::database& ro) {
  const auto& id_text = p.at("id");
  auto id = parse_id(id_text);
  std::optional<json> playlist;
  if (id)
    playlist = q::playlist(ro, *id);
  if (!playlist)
    return api_outcome{json_error(404, "not_found",
                                  "no such playlist: " + id_text),
                       std::nullopt};
  return render_playlist(std::move(*playlist));
}

api_outcome get_playlist(const request&, const path_params& p,
                         storage::database& ro) {
  auto found = find(p, ro);
  if (auto* err = std::get_if<api_outcome>(&found))
    return std::move(*err);
  auto& playlist = std::get<json>(found);
  auto tracks = q::playlist_tracks(ro, playlist["id"].get<int64_t>());
  for (auto& t : tracks)
    t["owned"] = t["ownership_state"] == "owned";
  playlist["tracks"] = std::move(tracks);
  return api_outcome{json_ok(playlist), std::nullopt};
}

api_outcome put_playlist(const request& req, const path_params& p,
                         storage::database& ro) {
  auto found = find(p, ro);
  if (auto* err = std::get_if<api_outcome>(&found))
    return std::move(*err);
  auto& playlist = std::get<json>(found);
  auto bad = [](const std::string& msg) {
    return api_outcome{json_error(400, "bad_request", msg), std::nullopt};
  };
  auto body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return bad("the body must be a JSON object");
  for (const auto& [k, v] : body.items())
    if (k != "sync_mode")
      return bad("unknown field '" + k + "' (only sync_mode can be changed)");
  if (!body.contains("sync_mode") || !body["sync_mode"].is_string())
    return bad("sync_mode must be a string");
  auto mode = body["sync_mode"].get<std::string>();
  if (mode != "reference_only" && mode != "auto_own_tracks"
      && mode != "disabled")
    return bad("sync_mode must be reference_only, auto_own_tracks or disabled");
  playlist["sync_mode"] = mode;
  auto id = playlist["id"].get<int64_t>();
  return api_outcome{json_ok(playlist), storage::writes::set_playlist_sync_mode(
                                          id, mode, now_ms())};
}

} // namespace

void add_playlist_routes(reader_router& r) {
  r.add("GET", "/api/library/playlists", list_playlists);
  r.add("GET", "/api/library/playlists/{id}", get_playlist);
  r.add("PUT", "/api/library/playlists/{id}", put_playlist);
}

} // namespace discotheque::http
