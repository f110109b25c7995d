#include "http/api/library.hpp"

#include "library/normalize.hpp"
#include "storage/queries/library.hpp"
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

namespace q = storage::queries;

q::entity entity_of(const std::string& kind) {
  return kind == "artists"  ? q::entity::artist
         : kind == "albums" ? q::entity::album
                            : q::entity::track;
}

response list(const request& req, storage::database& db, q::entity e) {
  auto limit = int_param(req, "limit", 50, 1, 500);
  auto offset = int_param(req, "offset", 0, 0, INT64_MAX);
  q::list_filter f;
  f.ownership_state = enum_param(req, "ownership_state", ownership_states);
  f.source = enum_param(req, "source", sources);
  if (e == q::entity::track) {
    f.download_state = enum_param(req, "download_state", download_states);
    f.album_id = int_param(req, "album_id", 0, 0, INT64_MAX);
  }
  if (e != q::entity::artist)
    f.artist_id = int_param(req, "artist_id", 0, 0, INT64_MAX);
  if (auto it = req.query.find("q");
      it != req.query.end() && !it->second.empty())
    // Folded like the stored names, so "bjork" finds "Björk".
    f.name_contains = library::fold(it->second);
  auto total = q::count_entities(db, e, f);
  return json_ok(json{{"items", q::list_entities(db, e, f, limit, offset)},
                      {"total", total},
                      {"limit", limit},
                      {"offset", offset}});
}

response one(const std::string& kind, int64_t id, storage::database& db) {
  auto e = entity_of(kind);
  auto found = q::entity_row(db, e, id);
  if (!found)
    return json_error(404, "not_found",
                      "no " + kind.substr(0, kind.size() - 1) + " "
                        + std::to_string(id));
  auto body = std::move(*found);
  if (e == q::entity::artist) {
    body["albums"] = q::artist_albums(db, id);
    body["track_count"] = q::artist_track_count(db, id);
    body["owned_track_count"] = q::artist_owned_track_count(db, id);
  } else if (e == q::entity::album) {
    body["artists"] = q::album_artists(db, id);
    body["tracks"] = q::album_tracks(db, id);
  } else {
    body["artists"] = q::track_artists(db, id);
    auto album = q::track_album(db, id);
    body["album"] = album ? std::move(*album) : json(nullptr);
  }
  body["claims"] = q::claims(db, e, id);
  return json_ok(body);
}

response scan_errors(const request& req, storage::database& db) {
  auto limit = int_param(req, "limit", 50, 1, 500);
  auto offset = int_param(req, "offset", 0, 0, INT64_MAX);
  auto total = q::count_scan_errors(db);
  auto items = q::scan_errors(db, limit, offset);
  for (auto& i : items)
    i["seen_at"] = iso8601(i["seen_at"].get<int64_t>());
  return json_ok(json{{"items", std::move(items)},
                      {"total", total},
                      {"limit", limit},
                      {"offset", offset}});
}

} // namespace

namespace {

/// Runs `fn`, turning a bad parameter into 400 and a database failure into
/// 500, so that every library endpoint answers alike.
template <class F>
api_outcome guarded(F fn) {
  try {
    return api_outcome{fn(), std::nullopt};
  } catch (const bad_request& e) {
    return api_outcome{json_error(400, "bad_request", e.what()), std::nullopt};
  } catch (const std::exception& e) {
    return api_outcome{json_error(500, "database_error", e.what()),
                       std::nullopt};
  }
}

reader_handler list_of(std::string kind) {
  return [kind](const request& req, const path_params&, storage::database& ro) {
    return guarded([&] { return list(req, ro, entity_of(kind)); });
  };
}

reader_handler one_of(std::string kind) {
  return [kind](const request&, const path_params& p, storage::database& ro) {
    const auto& tail = p.at("id");
    int64_t id = 0;
    auto [end, ec] = std::from_chars(tail.data(), tail.data() + tail.size(),
                                     id);
    if (ec != std::errc{} || end != tail.data() + tail.size() || id <= 0)
      return api_outcome{json_error(400, "bad_request", "not an id: " + tail),
                         std::nullopt};
    return guarded([&] { return one(kind, id, ro); });
  };
}

} // namespace

void add_library_routes(reader_router& r) {
  for (std::string kind : {"artists", "albums", "tracks"}) {
    r.add("GET", "/api/library/" + kind, list_of(kind));
    r.add("GET", "/api/library/" + kind + "/{id}", one_of(kind));
  }
  r.add("GET", "/api/library/scan/errors",
        [](const request& req, const path_params&, storage::database& ro) {
          return guarded([&] { return scan_errors(req, ro); });
        });
}

} // namespace discotheque::http
