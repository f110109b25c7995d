#include "actors/sources/spotify.hpp"

#include "actors/sources/providers.hpp"

namespace discotheque {

using nlohmann::json;
using namespace wire;

namespace {

/// The descriptor name: config key, provider_ref.provider, playlist provider.
constexpr const char* provider_name = "spotify";

} // namespace

namespace spotify {

namespace {

std::string first_image(const json& obj) {
  for (const auto& img : array(obj, "images"))
    if (auto url = str(img, "url"); !url.empty())
      return url;
  return {};
}

std::vector<std::string> strings(const json& arr) {
  std::vector<std::string> out;
  for (const auto& g : arr)
    if (g.is_string() && out.size() < 50)
      out.push_back(g.get<std::string>().substr(0, 200));
  return out;
}

} // namespace

artist_dto map_artist(const json& a) {
  artist_dto x;
  x.name = str(a, "name");
  set_provider_id(x, provider_name, id(a));
  x.genres = strings(array(a, "genres"));
  x.image_url = first_image(a);
  return x;
}

album_dto map_album(const json& a) {
  album_dto x;
  x.title = str(a, "name");
  set_provider_id(x, provider_name, id(a));
  x.upc = str(member(a, "external_ids"), "upc");
  x.album_type = str(a, "album_type");
  x.release_date = str(a, "release_date");
  x.total_tracks = static_cast<int32_t>(integer(a, "total_tracks"));
  x.genres = strings(array(a, "genres"));
  for (const auto& ar : array(a, "artists"))
    if (ar.is_object())
      x.artists.push_back(map_artist(ar));
  x.image_url = first_image(a);
  return x;
}

track_dto map_track(const json& t, const album_dto* context) {
  track_dto x;
  x.title = str(t, "name");
  set_provider_id(x, provider_name, id(t));
  x.isrc = str(member(t, "external_ids"), "isrc");
  for (const auto& ar : array(t, "artists"))
    if (ar.is_object())
      x.artists.push_back(map_artist(ar));
  const auto& album = member(t, "album");
  if (album.is_object())
    x.album = map_album(album);
  else if (context)
    x.album = *context;
  if (context && x.album.artists.empty())
    x.album.artists = context->artists;
  x.track_number = static_cast<int32_t>(integer(t, "track_number"));
  x.disc_number = static_cast<int32_t>(integer(t, "disc_number"));
  x.duration_ms = integer(t, "duration_ms");
  return x;
}

} // namespace spotify

namespace {

std::string first_url(const std::string& base, const page_request& req) {
  if (req.list == "liked")
    return base + "/me/tracks?limit=50";
  if (req.list == "saved")
    return base + "/me/albums?limit=50";
  if (req.list == "followed")
    return base + "/me/following?type=artist&limit=50";
  if (req.list == "me")
    return base + "/me";
  if (req.list == "playlists")
    return base + "/me/playlists?limit=50";
  if (req.list == "playlist_items")
    return base + "/playlists/" + req.parent
           + "/items?limit=50&additional_types=track";
  if (req.list == "artist_albums")
    return base + "/artists/" + req.parent
           + "/albums?include_groups=album,single,compilation&limit=10";
  if (req.list == "album_tracks")
    return base + "/albums/" + req.parent + "/tracks?limit=50";
  return {};
}

/// Older accounts/apps still only know /playlists/{id}/tracks.
std::string fallback_url(const std::string& url, int status) {
  if (status != 404 && status != 403 && status != 400)
    return {};
  auto pos = url.find("/items?");
  if (pos == std::string::npos || url.find("/playlists/") == std::string::npos)
    return {};
  return url.substr(0, pos) + "/tracks?" + url.substr(pos + 7);
}

std::string parse(const std::string& base, const page_request& req,
                  const json& doc, source_page& out) {
  if (req.list == "me") { // GET /me: the current user's profile
    out.user_id = id(doc);
    return out.user_id.empty() ? "profile without id" : "";
  }
  const json* paging = &doc;
  if (req.list == "followed") {
    paging = &member(doc, "artists");
    if (!paging->is_object())
      return "no 'artists' object";
  }
  const auto& items = member(*paging, "items");
  if (!items.is_array())
    return "no 'items' array";
  if (items.size() > max_items_per_page)
    return "page has " + std::to_string(items.size()) + " items (more than "
           + std::to_string(max_items_per_page) + ")";
  out.total = member(*paging, "total").is_number_integer()
                ? integer(*paging, "total")
                : -1;
  out.next = resolve_next(base, str(*paging, "next"));
  // Offset paging (all but /me/following): the other pages are known now.
  if (req.cursor.empty() && req.list != "followed"
      && member(*paging, "offset").is_number_integer()
      && member(*paging, "limit").is_number_integer())
    offset_siblings(out, "offset", integer(*paging, "offset"),
                    integer(*paging, "limit"), out.total);
  size_t i = 0;
  for (const auto& it : items) {
    auto where = req.list + " item " + std::to_string(i++);
    if (!it.is_object()) {
      skip_item(out, where + ": not an object");
      continue;
    }
    if (req.list == "followed") {
      auto a = spotify::map_artist(it);
      if (provider_id(a, provider_name).empty()) {
        skip_item(out, where + ": artist without id");
        continue;
      }
      out.artists.push_back(std::move(a));
    } else if (req.list == "liked" || req.list == "playlist_items") {
      const auto& t = member(it, "item").is_object() ? member(it, "item")
                                                     : member(it, "track");
      if (!t.is_object()) {
        if (req.list == "liked")
          skip_item(out, where + ": no track object");
        continue; // removed playlist content: nothing to link
      }
      if (str(t, "type") == "episode" || member(t, "is_local") == true
          || member(it, "is_local") == true)
        continue; // episodes and local files are not library tracks
      auto x = spotify::map_track(t, nullptr);
      if (provider_id(x, provider_name).empty()) {
        skip_item(out, where + ": track without id");
        continue;
      }
      out.tracks.push_back(std::move(x));
    } else if (req.list == "saved" || req.list == "artist_albums") {
      const auto& a = req.list == "saved" ? member(it, "album") : it;
      if (!a.is_object()) {
        skip_item(out, where + ": no album object");
        continue;
      }
      auto album = spotify::map_album(a);
      if (provider_id(album, provider_name).empty()) {
        skip_item(out, where + ": album without id");
        continue;
      }
      for (const auto& t : array(member(a, "tracks"), "items")) {
        if (!t.is_object())
          continue;
        auto x = spotify::map_track(t, &album);
        if (!provider_id(x, provider_name).empty())
          out.tracks.push_back(std::move(x));
      }
      out.albums.push_back(std::move(album));
    } else if (req.list == "album_tracks") {
      album_dto ctx;
      set_provider_id(ctx, provider_name, req.parent);
      auto x = spotify::map_track(it, &ctx);
      if (provider_id(x, provider_name).empty()) {
        skip_item(out, where + ": track without id");
        continue;
      }
      out.tracks.push_back(std::move(x));
    } else if (req.list == "playlists") {
      playlist_dto p;
      p.provider = provider_name;
      p.provider_id = id(it);
      if (p.provider_id.empty()) {
        skip_item(out, where + ": playlist without id");
        continue;
      }
      p.name = str(it, "name");
      p.description = str(it, "description");
      p.snapshot_id = str(it, "snapshot_id");
      p.owner_id = id(member(it, "owner"));
      p.is_followed = true;
      p.cover_url = [&] {
        for (const auto& img : array(it, "images"))
          if (auto u = str(img, "url"); !u.empty())
            return u;
        return std::string{};
      }();
      // "items" replaced "tracks" in 2026; read both.
      const auto& cnt = member(it, "items").is_object() ? member(it, "items")
                                                        : member(it, "tracks");
      p.track_count = integer(cnt, "total");
      out.playlists.push_back(std::move(p));
    }
  }
  return {};
}

} // namespace

const source_wire& spotify_wire() {
  static const source_wire w{provider_name, "application/json", first_url,
                             parse, fallback_url};
  return w;
}

const provider_descriptor& spotify_provider() {
  static const provider_descriptor d = [] {
    provider_descriptor x;
    x.name = provider_name;
    x.defaults = {"https://api.spotify.com/v1", "https://accounts.spotify.com",
                  "/api/token", 10};
    x.auth = auth_mode::bearer;
    x.wire = &spotify_wire();
    oauth_descriptor o;
    o.display = "Spotify";
    o.authorize_path = "/authorize";
    o.scopes = "user-follow-read user-library-read playlist-read-private "
               "playlist-read-collaborative";
    o.needs_secret = true;
    x.oauth = o;
    x.tasks = {account_sync_task("sync_spotify_likes")};
    x.playlists = true;
    return x;
  }();
  return d;
}

} // namespace discotheque
