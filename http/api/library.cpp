#include "http/api/library.hpp"

#include "actors/sources/providers.hpp"
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
/// Where an entity came from: the local files or one of the providers.
const std::set<std::string>& sources() {
  static const auto all = [] {
    std::set<std::string> s{"local"};
    for (const auto& name : provider_names())
      s.insert(name);
    return s;
  }();
  return all;
}
const std::set<std::string> download_states{
  "not_needed", "pending", "downloading", "downloaded", "failed"};

namespace q = storage::queries;

/// Refuses a query parameter the endpoint does not know (a typo would
/// otherwise silently list everything).
void only_params(const request& req, std::initializer_list<const char*> known) {
  for (const auto& [name, value] : req.query) {
    if (name == "apikey")
      continue;
    bool ok = false;
    for (auto k : known)
      ok = ok || name == k;
    if (!ok)
      throw bad_request("unknown parameter '" + name + "'");
  }
}

q::list_sort sort_param(const request& req) {
  q::list_sort sort;
  auto it = req.query.find("sort");
  if (it == req.query.end() || it->second.empty())
    return sort;
  std::string_view v = it->second;
  if (v.front() == '-') {
    sort.descending = true;
    v.remove_prefix(1);
  }
  if (v == "name")
    sort.by = q::list_order::name;
  else if (v == "created")
    sort.by = q::list_order::created;
  else if (v == "updated")
    sort.by = q::list_order::updated;
  else if (v == "id")
    sort.by = q::list_order::id;
  else
    throw bad_request("sort must be name, created, updated or id (prefix - for "
                      "descending)");
  return sort;
}

/// A row as the API shows it: times as ISO-8601 UTC (file_mtime is stored
/// in nanoseconds, the others in milliseconds), flags as booleans.
json render(json row) {
  for (const char* t :
       {"created_at", "updated_at", "download_state_updated_at"})
    if (auto it = row.find(t); it != row.end() && it->is_number_integer())
      *it = iso8601(it->get<int64_t>());
  if (auto it = row.find("file_mtime");
      it != row.end() && it->is_number_integer())
    *it = iso8601(it->get<int64_t>() / 1000000);
  for (const char* flag : {"orphaned", "album_inferred"})
    if (auto it = row.find(flag); it != row.end() && it->is_number_integer())
      *it = it->get<int64_t>() != 0;
  return row;
}

q::entity entity_of(const std::string& kind) {
  return kind == "artists"  ? q::entity::artist
         : kind == "albums" ? q::entity::album
                            : q::entity::track;
}

response list(const request& req, storage::database& db, q::entity e) {
  if (e == q::entity::track)
    only_params(req, {"limit", "offset", "q", "ownership_state", "source",
                      "sort", "download_state", "album_id", "artist_id"});
  else if (e == q::entity::album)
    only_params(req, {"limit", "offset", "q", "ownership_state", "source",
                      "sort", "artist_id"});
  else
    only_params(req,
                {"limit", "offset", "q", "ownership_state", "source", "sort"});
  auto limit = int_param(req, "limit", 50, 1, 500);
  auto offset = int_param(req, "offset", 0, 0, INT64_MAX);
  q::list_filter f;
  f.ownership_state = enum_param(req, "ownership_state", ownership_states);
  f.source = enum_param(req, "source", sources());
  if (e == q::entity::track) {
    f.download_state = enum_param(req, "download_state", download_states);
    f.album_id = int_param(req, "album_id", 0, 0, INT64_MAX);
  }
  if (e != q::entity::artist)
    f.artist_id = int_param(req, "artist_id", 0, 0, INT64_MAX);
  if (auto it = req.query.find("q");
      it != req.query.end() && !it->second.empty()) {
    // Normalized exactly as the stored names are ("The Beatles" and
    // "beatles" find "The Beatles", "bjork" finds "Björk"), or part of the
    // display name as typed.
    f.name_contains = e == q::entity::artist ? library::artist_key(it->second)
                                             : library::fold(it->second);
    f.display_contains = it->second;
  }
  auto sort = sort_param(req);
  auto total = q::count_entities(db, e, f);
  auto items = q::list_entities(db, e, f, limit, offset, sort);
  for (auto& i : items)
    i = render(std::move(i));
  return json_ok(json{{"items", std::move(items)},
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
  auto body = render(std::move(*found));
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
  only_params(req, {"limit", "offset"});
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
  return
    [kind](const request& req, const path_params& p, storage::database& ro) {
      const auto& tail = p.at("id");
      int64_t id = 0;
      auto [end, ec] = std::from_chars(tail.data(), tail.data() + tail.size(),
                                       id);
      if (ec != std::errc{} || end != tail.data() + tail.size() || id <= 0)
        return api_outcome{json_error(400, "bad_request", "not an id: " + tail),
                           std::nullopt};
      return guarded([&] {
        only_params(req, {});
        return one(kind, id, ro);
      });
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
