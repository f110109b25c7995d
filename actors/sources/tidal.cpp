#include "actors/sources/tidal.hpp"

#include "actors/sources/providers.hpp"

#include "library/normalize.hpp"

#include <cctype>
#include <map>

namespace discotheque {

using nlohmann::json;
using namespace wire;

namespace {

/// The descriptor name: config key, provider_ref.provider, playlist provider.
constexpr const char* provider_name = "tidal";

} // namespace

namespace tidal {

int64_t parse_duration_ms(const std::string& iso) {
  if (iso.size() < 3 || iso.size() > 64 || iso.rfind("PT", 0) != 0)
    return 0;
  double total = 0;
  std::string num;
  for (size_t i = 2; i < iso.size(); ++i) {
    char c = iso[i];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      num += c;
      continue;
    }
    if (num.empty())
      return 0;
    double v = 0;
    try {
      v = std::stod(num);
    } catch (...) {
      return 0;
    }
    num.clear();
    switch (c) {
      case 'H':
        total += v * 3600;
        break;
      case 'M':
        total += v * 60;
        break;
      case 'S':
        total += v;
        break;
      default:
        return 0;
    }
  }
  if (!num.empty() || total > 1e7)
    return 0;
  return static_cast<int64_t>(total * 1000 + 0.5);
}

} // namespace tidal

namespace {

using index_t = std::map<std::pair<std::string, std::string>, const json*>;

index_t index_included(const json& doc) {
  index_t idx;
  for (const auto& r : array(doc, "included"))
    if (r.is_object())
      idx.emplace(std::make_pair(str(r, "type"), id(r)), &r);
  return idx;
}

const json* lookup(const index_t& idx, const json& ident) {
  auto it = idx.find({str(ident, "type"), id(ident)});
  return it == idx.end() ? nullptr : it->second;
}

const json& attrs(const json& r) {
  return member(r, "attributes");
}

const json& rel_data(const json& r, const char* rel) {
  return array(member(member(r, "relationships"), rel), "data");
}

artist_dto map_artist(const json& r) {
  artist_dto x;
  set_provider_id(x, provider_name, id(r));
  x.name = str(attrs(r), "name");
  return x;
}

album_dto map_album(const json& r, const index_t& idx) {
  album_dto x;
  const auto& a = attrs(r);
  set_provider_id(x, provider_name, id(r));
  x.title = str(a, "title");
  x.upc = str(a, "barcodeId");
  x.release_date = str(a, "releaseDate");
  x.total_tracks = static_cast<int32_t>(integer(a, "numberOfItems"));
  x.total_discs = static_cast<int32_t>(integer(a, "numberOfVolumes"));
  auto type = str(a, "type");
  if (type.empty())
    type = str(a, "albumType");
  x.album_type = library::lower_ascii(type);
  for (const auto& ident : rel_data(r, "artists"))
    if (const auto* ar = lookup(idx, ident))
      x.artists.push_back(map_artist(*ar));
  return x;
}

track_dto map_track(const json& r, const index_t& idx) {
  track_dto x;
  const auto& a = attrs(r);
  set_provider_id(x, provider_name, id(r));
  x.title = str(a, "title");
  if (auto v = str(a, "version"); !v.empty())
    x.title += " (" + v + ")";
  x.isrc = str(a, "isrc");
  x.duration_ms = tidal::parse_duration_ms(str(a, "duration"));
  for (const auto& ident : rel_data(r, "artists"))
    if (const auto* ar = lookup(idx, ident))
      x.artists.push_back(map_artist(*ar));
  const auto& albums = rel_data(r, "albums");
  if (!albums.empty())
    if (const auto* al = lookup(idx, albums[0]))
      x.album = map_album(*al, idx);
  return x;
}

std::string first_url(const std::string& base, const page_request& req) {
  if (req.list == "liked")
    return base
           + "/userCollectionTracks/me/relationships/items"
             "?locale=en-US&include=items,items.artists,items.albums";
  if (req.list == "saved")
    return base
           + "/userCollectionAlbums/me/relationships/items"
             "?locale=en-US&include=items,items.artists";
  if (req.list == "followed")
    return base
           + "/userCollectionArtists/me/relationships/items"
             "?locale=en-US&include=items";
  if (req.list == "me")
    return base + "/users/me";
  if (req.list == "playlists")
    return base
           + "/userCollectionPlaylists/me/relationships/items"
             "?locale=en-US&include=items,items.owners";
  if (req.list == "artist_albums")
    return base + "/artists/" + req.parent
           + "/relationships/albums?countryCode=US"
             "&include=albums,albums.artists";
  if (req.list == "playlist_items")
    return base + "/playlists/" + req.parent
           + "/relationships/items?countryCode=US"
             "&include=items,items.artists,items.albums";
  if (req.list == "album_tracks")
    return base + "/albums/" + req.parent
           + "/relationships/items?countryCode=US"
             "&include=items,items.artists";
  return {};
}

std::string parse(const std::string& base, const page_request& req,
                  const json& doc, source_page& out) {
  if (!member(doc, "errors").is_null())
    return "error document: " + member(doc, "errors").dump().substr(0, 300);
  if (req.list == "me") { // GET /users/me: {"data": {"id", "type": "users"}}
    out.user_id = id(member(doc, "data"));
    return out.user_id.empty() ? "profile without id" : "";
  }
  const auto& items = member(doc, "data");
  if (!items.is_array())
    return "no 'data' array";
  if (items.size() > max_items_per_page
      || array(doc, "included").size() > 5 * max_items_per_page)
    return "page has " + std::to_string(items.size()) + " items (more than "
           + std::to_string(max_items_per_page) + ")";
  auto idx = index_included(doc);
  out.next = resolve_next(base, str(member(doc, "links"), "next"));
  size_t i = 0;
  for (const auto& ident : items) {
    auto where = req.list + " item " + std::to_string(i++);
    if (!ident.is_object() || id(ident).empty()) {
      skip_item(out, where + ": not a resource identifier");
      continue;
    }
    const auto* r = lookup(idx, ident);
    auto type = str(ident, "type");
    if (r == nullptr) {
      if (req.list != "playlist_items" || type == "tracks")
        skip_item(out, where + ": " + type + " " + id(ident)
                         + " missing from 'included'");
      continue;
    }
    if (type == "artists") {
      out.artists.push_back(map_artist(*r));
    } else if (type == "albums") {
      auto al = map_album(*r, idx);
      if (req.list == "artist_albums" && al.artists.empty()) {
        artist_dto parent; // the followed artist whose albums these are
        set_provider_id(parent, provider_name, req.parent);
        al.artists.push_back(std::move(parent));
      }
      out.albums.push_back(std::move(al));
    } else if (type == "tracks") {
      auto t = map_track(*r, idx);
      if (req.list == "album_tracks") {
        set_provider_id(t.album, provider_name, req.parent);
        t.track_number
          = static_cast<int32_t>(integer(member(ident, "meta"), "trackNumber"));
        t.disc_number = static_cast<int32_t>(
          integer(member(ident, "meta"), "volumeNumber"));
      }
      out.tracks.push_back(std::move(t));
    } else if (type == "playlists") {
      playlist_dto p;
      p.provider = provider_name;
      p.provider_id = id(*r);
      p.name = str(attrs(*r), "name");
      p.description = str(attrs(*r), "description");
      p.track_count = integer(attrs(*r), "numberOfItems");
      p.snapshot_id = str(attrs(*r), "lastModifiedAt");
      const auto& owners = rel_data(*r, "owners");
      if (!owners.empty())
        p.owner_id = id(owners[0]);
      p.is_followed = true;
      out.playlists.push_back(std::move(p));
    }
    // videos and other types are not library entities
  }
  return {};
}

} // namespace

const source_wire& tidal_wire() {
  static const source_wire w{provider_name, "application/vnd.api+json",
                             first_url, parse, nullptr};
  return w;
}

const provider_descriptor& tidal_provider() {
  static const provider_descriptor d = [] {
    provider_descriptor x;
    x.name = provider_name;
    x.defaults = {"https://openapi.tidal.com/v2", "https://auth.tidal.com",
                  "/v1/oauth2/token", 5};
    x.auth = auth_mode::bearer;
    x.wire = &tidal_wire();
    // authorization code with PKCE; the login page has its own host
    oauth_descriptor o;
    o.display = "TIDAL";
    o.authorize_url = "https://login.tidal.com/authorize";
    o.scopes = "collection.read playlists.read user.read";
    o.pkce = true;
    x.oauth = o;
    x.tasks = {account_sync_task("sync_tidal_favorites")};
    x.playlists = true;
    return x;
  }();
  return d;
}

} // namespace discotheque
