#include "actors/sources/deezer.hpp"

#include "actors/sources/providers.hpp"

#include <cctype>

namespace discotheque {

using nlohmann::json;
using namespace wire;

namespace {

/// The descriptor name: config key, provider_ref.provider, playlist provider.
constexpr const char* provider_name = "deezer";

} // namespace

namespace deezer {

artist_dto map_artist(const json& a) {
  artist_dto x;
  x.name = str(a, "name");
  set_provider_id(x, provider_name, id(a));
  x.image_url = str(a, "picture_xl");
  return x;
}

album_dto map_album(const json& a) {
  album_dto x;
  x.title = str(a, "title");
  set_provider_id(x, provider_name, id(a));
  x.upc = str(a, "upc");
  x.album_type = str(a, "record_type");
  if (x.album_type == "compile")
    x.album_type = "compilation";
  x.release_date = str(a, "release_date");
  x.total_tracks = static_cast<int32_t>(integer(a, "nb_tracks"));
  for (const auto& g : array(member(a, "genres"), "data"))
    if (auto n = str(g, "name"); !n.empty() && x.genres.size() < 50)
      x.genres.push_back(n);
  const auto& artist = member(a, "artist");
  if (artist.is_object())
    x.artists.push_back(map_artist(artist));
  x.image_url = str(a, "cover_xl");
  return x;
}

track_dto map_track(const json& t, const album_dto* context) {
  track_dto x;
  x.title = str(t, "title");
  set_provider_id(x, provider_name, id(t));
  x.isrc = str(t, "isrc");
  // contributors (full track) name every main artist; else the one artist
  for (const auto& c : array(t, "contributors"))
    if (c.is_object() && (str(c, "role").empty() || str(c, "role") == "Main"))
      x.artists.push_back(map_artist(c));
  if (x.artists.empty() && member(t, "artist").is_object())
    x.artists.push_back(map_artist(member(t, "artist")));
  const auto& album = member(t, "album");
  if (album.is_object())
    x.album = map_album(album);
  else if (context)
    x.album = *context;
  if (x.album.artists.empty() && context)
    x.album.artists = context->artists;
  x.track_number = static_cast<int32_t>(integer(t, "track_position"));
  x.disc_number = static_cast<int32_t>(integer(t, "disk_number"));
  auto secs = integer(t, "duration");
  if (secs > 0 && secs < 1'000'000)
    x.duration_ms = secs * 1000;
  return x;
}

std::string strip_token(const std::string& url) {
  auto q = url.find('?');
  if (q == std::string::npos)
    return url;
  std::string out = url.substr(0, q);
  std::string query = url.substr(q + 1);
  char sep = '?';
  size_t pos = 0;
  while (pos <= query.size()) {
    auto amp = query.find('&', pos);
    auto part = query.substr(pos, amp == std::string::npos ? std::string::npos
                                                           : amp - pos);
    if (!part.empty() && part.rfind("access_token=", 0) != 0) {
      out += sep;
      out += part;
      sep = '&';
    }
    if (amp == std::string::npos)
      break;
    pos = amp + 1;
  }
  return out;
}

} // namespace deezer

namespace {

std::string first_url(const std::string& base, const page_request& req) {
  if (req.list == "liked")
    return base + "/user/me/tracks?limit=100";
  if (req.list == "saved")
    return base + "/user/me/albums?limit=100";
  if (req.list == "followed")
    return base + "/user/me/artists?limit=100";
  if (req.list == "me")
    return base + "/user/me";
  if (req.list == "playlists")
    return base + "/user/me/playlists?limit=100";
  if (req.list == "playlist_items")
    return base + "/playlist/" + req.parent + "/tracks?limit=100";
  if (req.list == "artist_albums")
    return base + "/artist/" + req.parent + "/albums?limit=100";
  if (req.list == "album_tracks")
    return base + "/album/" + req.parent + "/tracks?limit=100";
  return {};
}

std::string parse(const std::string& base, const page_request& req,
                  const json& doc, source_page& out) {
  if (req.list == "me") { // GET /user/me: {"id": 359622, "name": ...}
    out.user_id = id(doc);
    return out.user_id.empty() ? "profile without id" : "";
  }
  const auto& items = member(doc, "data");
  if (!items.is_array())
    return "no 'data' array";
  if (items.size() > max_items_per_page)
    return "page has " + std::to_string(items.size()) + " items (more than "
           + std::to_string(max_items_per_page) + ")";
  out.total = member(doc, "total").is_number_integer() ? integer(doc, "total")
                                                       : -1;
  out.next = deezer::strip_token(resolve_next(base, str(doc, "next")));
  // index paging: once the first page is in, every other page is known
  if (req.cursor.empty() && !out.next.empty() && out.total > 0) {
    auto limit = static_cast<int64_t>(items.size());
    auto q = out.next.find("limit=");
    if (q != std::string::npos)
      limit = std::atoll(out.next.c_str() + q + 6);
    if (limit == static_cast<int64_t>(items.size()))
      offset_siblings(out, "index", 0, limit, out.total);
  }
  size_t i = 0;
  for (const auto& it : items) {
    auto where = req.list + " item " + std::to_string(i++);
    if (!it.is_object()) {
      skip_item(out, where + ": not an object");
      continue;
    }
    if (req.list == "followed") {
      auto a = deezer::map_artist(it);
      if (provider_id(a, provider_name).empty()) {
        skip_item(out, where + ": artist without id");
        continue;
      }
      out.artists.push_back(std::move(a));
    } else if (req.list == "liked" || req.list == "playlist_items"
               || req.list == "album_tracks") {
      album_dto ctx;
      if (req.list == "album_tracks")
        set_provider_id(ctx, provider_name, req.parent);
      auto x = deezer::map_track(it,
                                 req.list == "album_tracks" ? &ctx : nullptr);
      if (provider_id(x, provider_name).empty()) {
        if (req.list != "playlist_items")
          skip_item(out, where + ": track without id");
        continue;
      }
      out.tracks.push_back(std::move(x));
    } else if (req.list == "saved" || req.list == "artist_albums") {
      auto a = deezer::map_album(it);
      if (provider_id(a, provider_name).empty()) {
        skip_item(out, where + ": album without id");
        continue;
      }
      out.albums.push_back(std::move(a));
    } else if (req.list == "playlists") {
      playlist_dto p;
      p.provider = provider_name;
      p.provider_id = id(it);
      if (p.provider_id.empty()) {
        skip_item(out, where + ": playlist without id");
        continue;
      }
      p.name = str(it, "title");
      p.description = str(it, "description");
      p.track_count = integer(it, "nb_tracks");
      p.cover_url = str(it, "picture_xl");
      p.snapshot_id = str(it, "checksum");
      p.owner_id = id(member(it, "creator"));
      p.is_followed = true;
      out.playlists.push_back(std::move(p));
    }
  }
  return {};
}

} // namespace

const source_wire& deezer_wire() {
  static const source_wire w{provider_name, "application/json", first_url,
                             parse, nullptr};
  return w;
}

reply_class classify_deezer(const http_reply& r) {
  auto base = classify_http(r);
  if (base != reply_class::ok && base != reply_class::final_error)
    return base;
  // Cheap pre-check before parsing: an error document starts with "error".
  auto pos = r.body.find_first_not_of(" \t\r\n");
  if (pos == std::string::npos || r.body.compare(pos, 1, "{") != 0
      || r.body.find("\"error\"") == std::string::npos)
    return base;
  auto doc = nlohmann::json::parse(r.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("error")
      || !doc["error"].is_object())
    return base;
  const auto& err = doc["error"];
  int64_t code = err.contains("code") && err["code"].is_number_integer()
                   ? err["code"].get<int64_t>()
                   : -1;
  switch (code) {
    case 4:
      return reply_class::rate_limited;
    case 700:
      return reply_class::transient;
    case 300:
      return reply_class::auth;
    default:
      return reply_class::final_error;
  }
}

const provider_descriptor& deezer_provider() {
  static const provider_descriptor d = [] {
    provider_descriptor x;
    x.name = provider_name;
    // measured 50 requests / 5 s per IP (wire notes); no OAuth refresh:
    // Deezer no longer registers new apps, tokens come from the config
    x.defaults = {"https://api.deezer.com", "", "", 10};
    x.auth = auth_mode::query_token;
    x.auth_param = "access_token";
    x.token_note = "Deezer no longer registers new apps";
    x.classify = classify_deezer;
    x.wire = &deezer_wire();
    x.tasks = {account_sync_task("sync_deezer_favorites")};
    x.playlists = true;
    return x;
  }();
  return d;
}

} // namespace discotheque
