#include "actors/dedup/matching.hpp"

#include <algorithm>
#include <functional>

namespace discotheque::dedup {

namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// "CD1", "cd 2", "Disc 3", "disk-04", "Disc 1 of 2": a prefix, optional
/// separators, a number, then nothing or " of N".
bool is_disc_folder(std::string_view name) {
  size_t i = 0;
  auto starts = [&](std::string_view p) {
    if (name.size() < p.size())
      return false;
    for (size_t k = 0; k < p.size(); ++k)
      if (lower(name[k]) != p[k])
        return false;
    i = p.size();
    return true;
  };
  if (!starts("disc") && !starts("disk") && !starts("cd"))
    return false;
  while (
    i < name.size()
    && (name[i] == ' ' || name[i] == '-' || name[i] == '_' || name[i] == '.'))
    ++i;
  size_t digits = i;
  while (i < name.size() && name[i] >= '0' && name[i] <= '9')
    ++i;
  if (i == digits)
    return false;
  auto rest = name.substr(i);
  return rest.empty() || rest.starts_with(" of ") || rest.starts_with(" Of ");
}

} // namespace

std::string_view album_folder(std::string_view path) {
  auto slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0)
    return {};
  auto dir = path.substr(0, slash);
  auto up = dir.rfind('/');
  if (up != std::string_view::npos && up > 0
      && is_disc_folder(dir.substr(up + 1)))
    return dir.substr(0, up);
  return dir;
}

uint64_t folder_key(std::string_view path) {
  auto dir = album_folder(path);
  if (dir.empty())
    return 0;
  auto h = static_cast<uint64_t>(std::hash<std::string_view>{}(dir));
  return h == 0 ? 1 : h;
}

uint64_t track_position(int32_t disc, int32_t number,
                        std::string_view folded_title) {
  if (number <= 0)
    return 0;
  auto place = (static_cast<uint64_t>(std::clamp(disc, 1, 0xFFFF)) << 16)
               | static_cast<uint64_t>(std::min(number, 0xFFFF));
  auto title
    = static_cast<uint32_t>(std::hash<std::string_view>{}(folded_title));
  return (place << 32) | title;
}

int64_t pick_artist(const identity_index& ix,
                    const std::vector<int64_t>& same_spelling,
                    std::string_view mbid) {
  return choose(
    same_spelling, mbid,
    [&](int64_t c) -> const std::string& { return ix.artists.at(c).mbid; },
    [](int64_t) { return true; });
}

bool track_lists_differ(const identity_index::album_rec& r,
                        const album_evidence& e) {
  if (e.total_tracks != 0 && r.total_tracks != 0
      && e.total_tracks != r.total_tracks)
    return true;
  if (e.position == 0)
    return false;
  auto place = e.position >> 32;
  return std::any_of(r.positions.begin(), r.positions.end(), [&](uint64_t p) {
    return (p >> 32) == place && p != e.position;
  });
}

int64_t pick_album(const identity_index& ix,
                   const std::vector<int64_t>& same_title,
                   const album_evidence& e) {
  auto mbid_of = [&](int64_t c) -> const std::string& {
    return ix.albums.at(c).mbid;
  };
  auto holds_track = [&](int64_t c) {
    return !e.track_title.empty()
           && ix.track_by_name.contains(
             identity_index::track_key(e.track_artist, c, e.track_title));
  };
  // A compilation outside its folder: only a provider's row (no folder)
  // that holds this very track already; never another folder's.
  auto agrees = [&](int64_t c) {
    auto& r = ix.albums.at(c);
    if (track_lists_differ(r, e))
      return false;
    return !e.various
           || (holds_track(c) && (e.folder == 0 || r.folders.empty()));
  };
  auto in_folder = [&](int64_t c) {
    auto& f = ix.albums.at(c).folders;
    return std::find(f.begin(), f.end(), e.folder) != f.end();
  };
  if (e.folder != 0
      && std::any_of(same_title.begin(), same_title.end(), in_folder))
    return choose(same_title, e.mbid, mbid_of, in_folder);
  return only_one(same_title, e.mbid, mbid_of, agrees);
}

} // namespace discotheque::dedup
