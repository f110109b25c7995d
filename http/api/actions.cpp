#include "http/api/actions.hpp"

#include "library/metadata_profile.hpp"
#include "storage/queries/actions.hpp"
#include "storage/writes/library.hpp"
#include "storage/writes/user.hpp"
#include "support/time.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <variant>

namespace discotheque::http {

using nlohmann::json;

namespace {

namespace q = storage::queries;
namespace w = storage::writes;
using rows = std::vector<q::row_state>;

api_outcome fail(int status, const std::string& code, const std::string& msg) {
  return api_outcome{json_error(status, code, msg), std::nullopt};
}

std::optional<int64_t> parse_id(const std::string& s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v <= 0)
    return std::nullopt;
  return v;
}

template <class Pred>
std::vector<int64_t> ids_of(const rows& rs, Pred keep) {
  std::vector<int64_t> out;
  for (const auto& r : rs)
    if (keep(r))
      out.push_back(r.id);
  return out;
}

bool not_ignored(const q::row_state& r) {
  return r.ownership_state != "ignored";
}

bool queueable(const q::row_state& r) {
  return not_ignored(r)
         && (r.download_state == "not_needed" || r.download_state == "failed");
}

template <class Pred>
int64_t count(const rows& rs, Pred p) {
  return static_cast<int64_t>(std::count_if(rs.begin(), rs.end(), p));
}

/// One action in the making: the row it names, its write, its answer.
struct action {
  q::entity e;
  std::string type;
  q::row_state row;
  write_request req;
  int64_t now = now_ms();
  int64_t changed = 0;
  json body;
};

/// The parents of the row owned (never an ignored one): an owned track
/// brings its album and artists, like a local scan does.
void own_parents(action& a, storage::database& ro, q::entity e, int64_t id) {
  w::set_ownership(a.req, "album", q::albums_over(ro, e, id), "owned",
                   {"discovered"}, a.now);
  w::set_ownership(a.req, "artist", q::artists_over(ro, e, id), "owned",
                   {"discovered"}, a.now);
}

/// What held the row goes back to discovered unless something still holds
/// it (storage::release_*: claims, owned tracks, owned albums).
void release_parents(action& a, storage::database& ro) {
  for (auto id : q::albums_over(ro, a.e, a.row.id))
    storage::release_album(a.req, id);
  for (auto id : q::artists_over(ro, a.e, a.row.id))
    storage::release_artist(a.req, id);
}

/// own: a user claim on the row (and on an album's tracks).
void own(action& a, storage::database& ro) {
  w::add_user_claims(a.req, a.type, {a.row.id});
  w::set_ownership(a.req, a.type, {a.row.id}, "owned", {}, a.now);
  a.changed += a.row.ownership_state != "owned";
  if (a.e == q::entity::album) {
    auto tracks = q::tracks_under(ro, a.e, a.row.id);
    auto keep = ids_of(tracks, not_ignored);
    w::add_user_claims(a.req, "track", keep);
    w::set_ownership(a.req, "track", keep, "owned", {"discovered"}, a.now);
    a.changed += count(tracks, [](const q::row_state& r) {
      return r.ownership_state == "discovered";
    });
  }
  own_parents(a, ro, a.e, a.row.id);
  a.body["ownership_state"] = "owned";
}

/// unown and ignore: the row and what lies under it, then its parents.
void drop(action& a, storage::database& ro, const std::string& state) {
  auto albums = q::albums_under(ro, a.e, a.row.id);
  auto tracks = q::tracks_under(ro, a.e, a.row.id);
  rows self{a.row};
  bool ignore = state == "ignored";
  auto touched = [&](const q::row_state& r) {
    return ignore ? r.ownership_state != "ignored"
                  : r.ownership_state == "owned";
  };
  a.changed = count(self, touched) + count(albums, touched)
              + count(tracks, touched);
  auto all = [](const q::row_state&) { return true; };
  std::vector<std::pair<std::string, std::vector<int64_t>>> levels{
    {a.type, {a.row.id}},
    {"album", ids_of(albums, all)},
    {"track", ids_of(tracks, all)}};
  for (auto& [type, ids] : levels) {
    if (!ignore)
      w::drop_claims(a.req, type, ids);
    w::set_ownership(a.req, type, ids, state,
                     ignore ? std::vector<std::string>{}
                            : std::vector<std::string>{"owned"},
                     a.now);
  }
  auto track_ids = ids_of(tracks, all);
  if (a.e == q::entity::track)
    track_ids.push_back(a.row.id);
  w::unqueue_downloads(a.req, track_ids, a.now);
  release_parents(a, ro);
  a.body["ownership_state"] = state;
}

void unignore(action& a, storage::database& ro) {
  if (a.row.ownership_state != "ignored") {
    a.body["ownership_state"] = a.row.ownership_state;
    return;
  }
  auto albums = q::albums_under(ro, a.e, a.row.id);
  auto tracks = q::tracks_under(ro, a.e, a.row.id);
  auto ignored = [](const q::row_state& r) {
    return r.ownership_state == "ignored";
  };
  a.changed = 1 + count(albums, ignored) + count(tracks, ignored);
  // Bottom up: an album or artist is held by the owned rows under it.
  w::unignore(a.req, "track", ids_of(tracks, ignored), a.now);
  w::unignore(a.req, "album", ids_of(albums, ignored), a.now);
  w::unignore(a.req, a.type, {a.row.id}, a.now);
  bool held = q::has_claim(ro, a.e, a.row.id);
  for (const auto& t : tracks)
    held = held || t.ownership_state == "owned"
           || (ignored(t) && q::has_claim(ro, q::entity::track, t.id));
  for (const auto& al : albums)
    held = held || al.ownership_state == "owned"
           || (ignored(al) && q::has_claim(ro, q::entity::album, al.id));
  a.body["ownership_state"] = held ? "owned" : "discovered";
}

/// Queues `tracks` (owning the discovered ones) and counts the changes.
void queue(action& a, const rows& tracks) {
  auto keep = ids_of(tracks, not_ignored);
  // A download is a wish to have the track: a user claim holds it.
  w::add_user_claims(a.req, "track", keep);
  w::set_ownership(a.req, "track", keep, "owned", {"discovered"}, a.now);
  w::queue_downloads(a.req, keep, a.now);
  a.changed = count(tracks, queueable);
  a.body["tracks"] = static_cast<int64_t>(keep.size());
}

using step
  = std::function<std::optional<api_outcome>(action&, storage::database&)>;

reader_handler entity_action(std::string kind, std::string name, step fn) {
  return [kind, name, fn](const request&, const path_params& p,
                          storage::database& ro) -> api_outcome {
    auto id = parse_id(p.at("id"));
    if (!id)
      return fail(400, "bad_request", "not an id: " + p.at("id"));
    q::entity e = kind == "artists"  ? q::entity::artist
                  : kind == "albums" ? q::entity::album
                                     : q::entity::track;
    try {
      auto row = q::row_state_of(ro, e, *id);
      auto type = q::type_name(e);
      if (!row)
        return fail(404, "not_found",
                    "no such " + type + ": " + std::to_string(*id));
      action a{e, type, *row, {}, now_ms(), 0, json::object()};
      a.body = json{{"type", type}, {"id", *id}, {"action", name}};
      if (auto refused = fn(a, ro))
        return std::move(*refused);
      if (e == q::entity::track)
        a.body["download_state"] = a.body.value("download_state",
                                                row->download_state);
      a.body["changed"] = a.changed;
      if (a.req.statements.empty())
        return api_outcome{json_ok(a.body), std::nullopt};
      w::log_ownership_change(a.req, name, type, *id, a.now);
      return api_outcome{json_ok(a.body), std::move(a.req)};
    } catch (const std::exception& ex) {
      return fail(500, "database_error", ex.what());
    }
  };
}

std::optional<api_outcome> refuse_ignored(const action& a,
                                          const std::string& what) {
  if (a.row.ownership_state != "ignored")
    return std::nullopt;
  return fail(409, "conflict",
              a.type + " " + std::to_string(a.row.id) + " is ignored: " + what
                + " it only after unignore");
}

/// A stored album_type ("album", "EP", "compilation", Deezer's "compile")
/// as a release group's primary and secondary types.
std::pair<std::string, std::vector<std::string>>
release_types(const std::string& album_type) {
  std::string t;
  for (char c : album_type)
    t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t == "album")
    return {"Album", {}};
  if (t == "ep")
    return {"EP", {}};
  if (t == "single")
    return {"Single", {}};
  if (t == "broadcast")
    return {"Broadcast", {}};
  if (t == "compilation" || t == "compile")
    return {"Album", {"Compilation"}};
  return {"Other", {}};
}

/// Download Discography: the tracks of the artist's owned albums that its
/// metadata profile counts (an album of unknown type counts: nothing says
/// it does not).
void queue_discography(action& a, storage::database& ro) {
  auto parsed
    = library::parse_profile_text(q::metadata_profile_of(ro, a.row.id));
  auto profile = parsed.profile.value_or(library::default_profile());
  rows tracks;
  int64_t skipped = 0;
  for (const auto& album : q::owned_albums_of(ro, a.row.id)) {
    if (!album.album_type.empty()) {
      auto [primary, secondary] = release_types(album.album_type);
      if (!library::counts(profile, primary, secondary)) {
        ++skipped;
        continue;
      }
    }
    auto under = q::tracks_under(ro, q::entity::album, album.id);
    tracks.insert(tracks.end(), under.begin(), under.end());
  }
  std::sort(tracks.begin(), tracks.end(),
            [](const auto& x, const auto& y) { return x.id < y.id; });
  tracks.erase(
    std::unique(tracks.begin(), tracks.end(),
                [](const auto& x, const auto& y) { return x.id == y.id; }),
    tracks.end());
  queue(a, tracks);
  a.body["albums_skipped_by_profile"] = skipped;
}

std::optional<api_outcome> download(action& a, storage::database& ro) {
  if (auto r = refuse_ignored(a, "download"))
    return r;
  if (a.e == q::entity::artist) {
    queue_discography(a, ro);
    a.body["ownership_state"] = a.row.ownership_state;
    return std::nullopt;
  }
  own(a, ro);
  a.changed = 0;
  if (a.e == q::entity::track) {
    queue(a, {a.row});
    if (queueable(a.row))
      a.body["download_state"] = "pending";
  } else {
    queue(a, q::tracks_under(ro, a.e, a.row.id));
  }
  return std::nullopt;
}

std::optional<api_outcome> retry(action& a, storage::database&) {
  if (auto r = refuse_ignored(a, "retry"))
    return r;
  const auto& d = a.row.download_state;
  if (d == "pending") {
    a.body["download_state"] = d;
    return std::nullopt;
  }
  if (d != "failed")
    return fail(409, "conflict",
                "track " + std::to_string(a.row.id) + " is " + d
                  + ": only a failed download can be retried");
  w::retry_download(a.req, a.row.id, a.now);
  a.changed = 1;
  a.body["download_state"] = "pending";
  return std::nullopt;
}

reader_handler playlist_action(std::string name, bool own_all) {
  return [name, own_all](const request&, const path_params& p,
                         storage::database& ro) -> api_outcome {
    auto id = parse_id(p.at("id"));
    if (!id)
      return fail(400, "bad_request", "not an id: " + p.at("id"));
    try {
      auto tracks = q::playlist_track_states(ro, *id);
      if (!tracks)
        return fail(404, "not_found",
                    "no such playlist: " + std::to_string(*id));
      action a{q::entity::track, "track", {}, {}, now_ms(), 0, json::object()};
      if (own_all) {
        auto keep = ids_of(*tracks, not_ignored);
        w::add_user_claims(a.req, "track", keep);
        w::set_ownership(a.req, "track", keep, "owned", {"discovered"}, a.now);
        for (auto t : keep)
          own_parents(a, ro, q::entity::track, t);
        a.changed = count(*tracks, [](const q::row_state& r) {
          return r.ownership_state == "discovered";
        });
        a.body["tracks"] = static_cast<int64_t>(keep.size());
      } else {
        rows owned;
        for (const auto& t : *tracks)
          if (t.ownership_state == "owned")
            owned.push_back(t);
        queue(a, owned);
      }
      a.body["type"] = "playlist";
      a.body["id"] = *id;
      a.body["action"] = name;
      a.body["changed"] = a.changed;
      w::log_ownership_change(a.req, name, "playlist", *id, a.now);
      return api_outcome{json_ok(a.body), std::move(a.req)};
    } catch (const std::exception& ex) {
      return fail(500, "database_error", ex.what());
    }
  };
}

reader_handler wrong_type(std::string kind, std::string name,
                          std::string applies) {
  return [kind, name, applies](const request&, const path_params&,
                               storage::database&) {
    return fail(400, "bad_request",
                name + " applies to " + applies + ", not to " + kind);
  };
}

} // namespace

void add_action_routes(reader_router& r) {
  std::vector<std::pair<std::string, step>> ownership{
    {"own",
     [](action& a, storage::database& ro) -> std::optional<api_outcome> {
       own(a, ro);
       return std::nullopt;
     }},
    {"unown",
     [](action& a, storage::database& ro) -> std::optional<api_outcome> {
       if (auto refused = refuse_ignored(a, "unown"))
         return refused;
       drop(a, ro, "discovered");
       return std::nullopt;
     }},
    {"ignore",
     [](action& a, storage::database& ro) -> std::optional<api_outcome> {
       drop(a, ro, "ignored");
       return std::nullopt;
     }},
    {"unignore",
     [](action& a, storage::database& ro) -> std::optional<api_outcome> {
       unignore(a, ro);
       return std::nullopt;
     }},
    {"download", download},
  };
  for (std::string kind : {"artists", "albums", "tracks"}) {
    auto base = "/api/library/" + kind + "/{id}/";
    for (auto& [name, fn] : ownership)
      r.add("POST", base + name, entity_action(kind, name, fn));
    if (kind == "tracks")
      r.add("POST", base + "retry", entity_action(kind, "retry", retry));
    else
      r.add("POST", base + "retry", wrong_type(kind, "retry", "tracks"));
    for (std::string name : {"own-all", "download-owned"})
      r.add("POST", base + name, wrong_type(kind, name, "playlists"));
  }
  auto pl = std::string{"/api/library/playlists/{id}/"};
  r.add("POST", pl + "own-all", playlist_action("own-all", true));
  r.add("POST", pl + "download-owned",
        playlist_action("download-owned", false));
  for (std::string name :
       {"own", "unown", "ignore", "unignore", "download", "retry"})
    r.add("POST", pl + name,
          wrong_type("playlists", name, "artists, albums and tracks"));
}

} // namespace discotheque::http
