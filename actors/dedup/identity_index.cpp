#include "actors/dedup/identity_index.hpp"

#include "actors/dedup/matching.hpp"
#include "library/normalize.hpp"
#include "storage/queries/dedup.hpp"

#include <algorithm>
#include <stdexcept>

namespace discotheque::dedup {

namespace {

/// Files every non-empty provider id of a row under its slot.
provider_mask put_ids(identity_index::provider_indexes& slots,
                      const std::vector<std::string>& ids, int64_t id) {
  provider_mask mask = 0;
  for (size_t i = 0; i < ids.size() && i < slots.size(); ++i)
    if (!ids[i].empty()) {
      slots[i][ids[i]] = id;
      mask |= provider_mask{1} << i;
    }
  return mask;
}

} // namespace

identity_index::identity_index(std::vector<std::string> providers)
  : providers_(std::move(providers)) {
  if (providers_.size() > sizeof(provider_mask) * 8)
    throw std::invalid_argument("identity_index: too many providers");
  clear();
}

size_t identity_index::slot(std::string_view provider) const {
  for (size_t i = 0; i < providers_.size(); ++i)
    if (providers_[i] == provider)
      return i;
  return providers_.size();
}

void identity_index::clear() {
  artists.clear();
  albums.clear();
  tracks.clear();
  for (auto* idx : {&artist_by_mbid, &album_by_mbid})
    idx->clear();
  track_by_path.clear();
  for (auto* idx :
       {&artist_by_provider, &album_by_provider, &track_by_provider}) {
    idx->clear();
    idx->resize(providers_.size());
  }
  for (auto* idx : {&artist_by_spelling, &album_by_name})
    idx->clear();
  for (auto* idx : {&track_by_mbid, &track_by_isrc, &track_by_name})
    idx->clear();
  next_artist = next_album = next_track = 1;
}

void identity_index::load(storage::database& db,
                          const std::vector<std::string>& columns) {
  clear();
  storage::read_artist_identities(db, columns, [this](auto& row) { add(row); });
  storage::read_artist_spellings(db, [this](int64_t id, const std::string& s) {
    add_spelling(id, s);
  });
  storage::read_album_identities(db, columns, [this](auto& row) { add(row); });
  storage::read_track_identities(db, columns, [this](auto& row) { add(row); });
}

void identity_index::add(const storage::artist_identity& row) {
  auto id = row.id;
  auto& r = artists[id];
  insert_sorted(artist_by_spelling[library::artist_spelling(row.name)], id);
  r.mbid = row.mbid;
  if (!row.mbid.empty())
    artist_by_mbid[row.mbid] = id;
  r.ids = put_ids(artist_by_provider, row.ids, id);
  r.settled = row.settled;
  r.filled = row.filled;
  r.name = row.name;
  next_artist = id + 1;
}

void identity_index::add_spelling(int64_t artist, const std::string& spelling) {
  if (artists.count(artist))
    insert_sorted(artist_by_spelling[spelling], artist);
}

void identity_index::add(const storage::album_identity& row) {
  auto id = row.id;
  auto& r = albums[id];
  album_by_name[album_key(row.first_artist, row.normalized_title)].push_back(
    id);
  r.mbid = row.mbid;
  if (!row.mbid.empty())
    album_by_mbid[row.mbid] = id;
  r.rg = row.has_release_group;
  r.ids = put_ids(album_by_provider, row.ids, id);
  r.settled = row.settled;
  r.filled = row.filled;
  r.title = row.title;
  r.artists = row.artists;
  r.total_tracks = row.total_tracks;
  next_album = id + 1;
}

void identity_index::add(const storage::track_identity& row) {
  auto id = row.id;
  auto& r = tracks[id];
  track_by_name.insert(
    track_key(row.artist_id, row.album_id, row.normalized_title), id);
  if (!row.mbid.empty()) {
    r.mbid = key128::of(row.mbid);
    track_by_mbid.insert(row.mbid, id);
  }
  if (!row.isrc.empty()) {
    r.isrc = true;
    track_by_isrc.insert(row.isrc, id);
  }
  r.rtm = row.has_release_track;
  r.ids = put_ids(track_by_provider, row.ids, id);
  if (!row.local_path.empty()) {
    r.has_local = true;
    track_by_path.set(row.local_path, id);
  }
  if (auto album = albums.find(row.album_id); album != albums.end()) {
    if (!row.local_path.empty())
      add_folder(album->second, folder_key(row.local_path));
    add_position(album->second,
                 track_position(row.disc_number, row.track_number,
                                row.normalized_title));
  }
  next_track = id + 1;
}

void identity_index::add_folder(album_rec& r, uint64_t folder) {
  if (folder != 0
      && std::find(r.folders.begin(), r.folders.end(), folder)
           == r.folders.end())
    r.folders.push_back(folder);
}

void identity_index::add_position(album_rec& r, uint64_t position) {
  if (position != 0
      && std::find(r.positions.begin(), r.positions.end(), position)
           == r.positions.end())
    r.positions.push_back(position);
}

bool identity_index::insert_sorted(std::vector<int64_t>& ids, int64_t id) {
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  if (it != ids.end() && *it == id)
    return false;
  ids.insert(it, id);
  return true;
}

bool identity_index::free_for(const index& idx, const std::string& key,
                              int64_t id) {
  if (key.empty())
    return false;
  auto it = idx.find(key);
  return it == idx.end() || it->second == id;
}

std::string identity_index::album_key(int64_t first_artist,
                                      std::string_view normalized_title) {
  auto key = std::to_string(first_artist);
  key += '|';
  key += normalized_title;
  return key;
}

std::string identity_index::track_key(int64_t artist, int64_t album,
                                      std::string_view normalized_title) {
  auto key = std::to_string(artist);
  key += '|';
  key += std::to_string(album);
  key += '|';
  key += normalized_title;
  return key;
}

} // namespace discotheque::dedup
