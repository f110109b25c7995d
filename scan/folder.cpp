#include "scan/folder.hpp"

#include "library/normalize.hpp"

#include <utility>

namespace discotheque::scan {

namespace {

/// The most common value of `keys` (empty ones skipped) and its count.
std::pair<std::string, size_t>
most_common(const std::vector<std::string>& keys) {
  std::unordered_map<std::string, size_t> count;
  std::pair<std::string, size_t> best;
  for (auto& k : keys) {
    if (k.empty())
      continue;
    auto n = ++count[k];
    // Ties go to the value seen first: deterministic for one folder.
    if (n > best.second)
      best = {k, n};
  }
  return best;
}

std::string album_artist_key(const track_dto& t) {
  return t.album.artists.empty() ? std::string{}
                                 : library::fold(t.album.artists.front().name);
}

} // namespace

std::string_view folder_of(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view{}
                                         : path.substr(0, slash);
}

size_t infer_folder_album(std::vector<track_dto>& tracks,
                          const std::vector<bool>& album_artist_tagged) {
  auto n = tracks.size();
  if (n < 2)
    return 0;
  auto tagged = [&](size_t i) {
    return i < album_artist_tagged.size() && album_artist_tagged[i];
  };
  std::vector<std::string> titles(n);
  for (size_t i = 0; i < n; ++i)
    if (!tracks[i].album.title.empty())
      titles[i] = library::fold(tracks[i].album.title);
  auto [title, votes] = most_common(titles);
  if (title.empty() || votes * 2 <= n)
    return 0; // no album holds the folder's majority
  // One release at most: two release ids under one title are two editions.
  std::string mbid;
  for (size_t i = 0; i < n; ++i) {
    auto& m = tracks[i].album.mbid;
    if (titles[i] != title || m.empty())
      continue;
    if (mbid.empty())
      mbid = m;
    else if (m != mbid)
      return 0;
  }
  // The album artist, from the files of that album that name one.
  std::vector<std::string> artists(n);
  size_t naming = 0;
  for (size_t i = 0; i < n; ++i)
    if (titles[i] == title && tagged(i)) {
      artists[i] = album_artist_key(tracks[i]);
      naming += !artists[i].empty();
    }
  auto [artist, artist_votes] = most_common(artists);
  bool artist_known = !artist.empty() && artist_votes * 2 > naming;
  // The model: a file of that album (with that album artist, when known),
  // preferably one with the release id.
  const track_dto* model = nullptr;
  for (size_t i = 0; i < n; ++i) {
    if (titles[i] != title || (artist_known && artists[i] != artist))
      continue;
    if (!model || (model->album.mbid.empty() && !tracks[i].album.mbid.empty()))
      model = &tracks[i];
  }
  if (!model)
    return 0;
  auto album = model->album; // a copy: the model itself may be changed below
  size_t changed = 0;
  for (size_t i = 0; i < n; ++i) {
    auto& t = tracks[i];
    if (t.album.title.empty()) {
      auto own_tracks = t.track_total;
      t.album = album;
      if (own_tracks > 0)
        t.album.total_tracks = own_tracks;
      t.album_inferred = true;
      ++changed;
    } else if (artist_known && titles[i] == title && !tagged(i)
               && album_artist_key(t) != artist) {
      t.album.artists = album.artists;
      t.album_inferred = true;
      ++changed;
    }
  }
  return changed;
}

void folder_gate::sent(const std::string& path, std::vector<track_dto>& out) {
  auto dir = std::string{folder_of(path)};
  if (dir != current_) {
    all_sent(out);
    current_ = dir;
  }
  auto& f = folders_[dir];
  ++f.expected;
  if (!f.pass && f.expected > max_files_) {
    // Too big to be one album: what it holds goes on as read.
    f.pass = true;
    held_ -= f.tracks.size();
    for (auto& t : f.tracks)
      out.push_back(std::move(t));
    f.tracks.clear();
    f.tagged.clear();
  }
}

void folder_gate::all_sent(std::vector<track_dto>& out) {
  if (current_.empty() && !folders_.count(current_))
    return;
  auto dir = std::move(current_);
  current_.clear();
  if (auto it = folders_.find(dir); it != folders_.end()) {
    it->second.complete_list = true;
    maybe_release(dir, out);
  }
}

void folder_gate::arrived(track_dto track, bool album_artist_tagged,
                          std::vector<track_dto>& out) {
  auto dir = std::string{folder_of(track.local_path)};
  auto it = folders_.find(dir);
  if (it == folders_.end() || it->second.pass) {
    if (it != folders_.end())
      ++it->second.arrived;
    out.push_back(std::move(track));
    if (it != folders_.end())
      maybe_release(dir, out);
    return;
  }
  auto& f = it->second;
  ++f.arrived;
  f.tracks.push_back(std::move(track));
  f.tagged.push_back(album_artist_tagged);
  ++held_;
  maybe_release(dir, out);
}

void folder_gate::failed(const std::string& path, std::vector<track_dto>& out) {
  auto dir = std::string{folder_of(path)};
  if (auto it = folders_.find(dir); it != folders_.end()) {
    ++it->second.arrived;
    maybe_release(dir, out);
  }
}

void folder_gate::release(const std::string&, folder& f,
                          std::vector<track_dto>& out) {
  if (!f.pass)
    inferred_ += infer_folder_album(f.tracks, f.tagged);
  held_ -= f.tracks.size();
  for (auto& t : f.tracks)
    out.push_back(std::move(t));
  f.tracks.clear();
  f.tagged.clear();
}

void folder_gate::maybe_release(const std::string& dir,
                                std::vector<track_dto>& out) {
  auto it = folders_.find(dir);
  if (it == folders_.end())
    return;
  auto& f = it->second;
  if (!f.complete_list || f.arrived < f.expected)
    return;
  release(dir, f, out);
  folders_.erase(it);
}

void folder_gate::flush(std::vector<track_dto>& out) {
  for (auto& [dir, f] : folders_)
    release(dir, f, out);
  folders_.clear();
  current_.clear();
}

void folder_gate::reset() {
  folders_.clear();
  current_.clear();
  held_ = inferred_ = 0;
}

} // namespace discotheque::scan
