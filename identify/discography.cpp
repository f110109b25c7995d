#include "identify/discography.hpp"

#include "identify/album_library.hpp"
#include "identify/text.hpp"
#include "library/normalize.hpp"

#include <algorithm>
#include <cstdlib>
#include <tuple>

namespace discotheque::identify {

namespace {

/// The album as identify's album distance reads it: the same view
/// identify_albums builds (library_album_of), for an album of the artist.
library_album library_view(const album_in_library& a, const std::string& artist,
                           const std::string& artist_mbid) {
  album_to_identify v;
  v.id = a.id;
  v.title = a.title;
  v.artist = artist;
  v.artist_mbid = artist_mbid;
  v.release_date = a.release_date;
  v.total_tracks = a.total_tracks;
  v.tracks = a.tracks;
  return library_album_of(v);
}

} // namespace

group_check check_group(const mb_release_group& g,
                        const std::vector<album_in_library>& albums) {
  group_check out;
  for (const auto& a : albums)
    if (!g.mbid.empty() && a.release_group_mbid == g.mbid) {
      out.standing = group_standing::in_library;
      out.album_id = a.id;
      return out;
    }
  for (const auto& a : albums) {
    if (!a.release_group_mbid.empty())
      continue; // identified as another group
    library_album la;
    la.title = a.title;
    if (!groups_to_fetch(la, {g}).empty())
      out.related.push_back(a.id);
  }
  if (!out.related.empty())
    out.standing = group_standing::needs_tracks;
  return out;
}

tracks_verdict
compare_by_tracks(const mb_release_group& g, const mb_release& release,
                  const std::vector<album_in_library>& albums,
                  const std::vector<int64_t>& related,
                  const std::string& artist, const std::string& artist_mbid,
                  const album_settings& settings, int64_t& same_id) {
  bool collision = false;
  auto key = title_key(g.title);
  for (auto id : related) {
    auto it
      = std::find_if(albums.begin(), albums.end(),
                     [id](const album_in_library& a) { return a.id == id; });
    if (it == albums.end())
      continue;
    auto la = library_view(*it, artist, artist_mbid);
    auto d = decide_album(la, {album_candidate{g, {release}}}, settings);
    if (d.release_group && *d.release_group == g.mbid) {
      same_id = id;
      return tracks_verdict::same;
    }
    if (!key.empty() && title_key(it->title) == key)
      collision = true;
  }
  return collision ? tracks_verdict::collision : tracks_verdict::different;
}

const mb_release* representative_release(const std::vector<mb_release>& rs) {
  const mb_release* best = nullptr;
  auto rank = [](const mb_release& r) {
    // Official first, dated before undated, then earliest, then the MBID.
    return std::make_tuple(r.status == "Official" ? 0 : 1,
                           r.date.empty() ? 1 : 0, r.date, r.mbid);
  };
  for (const auto& r : rs)
    if (!r.mbid.empty() && (best == nullptr || rank(r) < rank(*best)))
      best = &r;
  return best;
}

album_to_add album_of(const mb_release_group& g, const mb_release& release,
                      const std::string& artist,
                      const std::string& artist_mbid) {
  album_to_add out;
  auto& a = out.album;
  a.title = g.title.empty() ? release.title : g.title;
  a.mbid = release.mbid;
  a.release_group_mbid = g.mbid;
  auto compilation = std::find(g.secondary_types.begin(),
                               g.secondary_types.end(), "Compilation")
                     != g.secondary_types.end();
  a.album_type = compilation ? "compilation"
                 : g.primary_type.empty()
                   ? "other"
                   : library::lower_ascii(g.primary_type);
  a.release_date = g.first_release_date.empty() ? release.date
                                                : g.first_release_date;
  a.total_tracks = release.track_count;
  a.total_discs = static_cast<int32_t>(release.media.size());
  artist_dto who;
  who.name = artist;
  who.mbid = artist_mbid;
  a.artists.push_back(who);
  for (const auto& m : release.media)
    for (const auto& t : m.tracks) {
      track_dto x;
      x.title = t.title.empty() ? t.recording_title : t.title;
      // Not the recording MBID or ISRCs: a recording the library has on
      // another album (a single) would take this track from its album.
      x.release_track_mbid = t.track_mbid;
      x.artists.push_back(who);
      x.album.mbid = release.mbid;
      x.track_number = t.position;
      x.track_total = m.track_count > 0 ? m.track_count
                                        : static_cast<int32_t>(m.tracks.size());
      x.disc_number = m.position;
      x.disc_total = a.total_discs;
      x.duration_ms = t.length_ms.value_or(0);
      out.tracks.push_back(std::move(x));
    }
  return out;
}

bool released_since(std::string_view date, std::string_view cutoff) {
  if (date.size() < 4)
    return false;
  auto n = std::min(date.size(), cutoff.size());
  return date.substr(0, n) >= cutoff.substr(0, n);
}

} // namespace discotheque::identify
