// What the dedup store knows about every library row, in memory: the keys it
// matches by (MBID, ISRC, provider ids, normalized names, local paths) and
// per row what is known already (filled columns, owned or ignored), so that
// a batch only writes what changes something. Plain data: the merge reads
// and updates it, the warm-up fills it from the database.
#pragma once

#include "actors/dedup/key_index.hpp"
#include "actors/dedup/path_index.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace discotheque::storage {
class database;
struct artist_identity;
struct album_identity;
struct track_identity;
} // namespace discotheque::storage

namespace discotheque::dedup {

/// One bit per provider slot: which provider ids a row carries.
using provider_mask = uint32_t;

class identity_index {
public:
  using index = std::unordered_map<std::string, int64_t>;
  using multi_index = std::unordered_map<std::string, std::vector<int64_t>>;

  struct artist_rec {
    std::string mbid; ///< needed: artists with different MBIDs never merge
    provider_mask ids = 0;
    bool settled = false; ///< owned or ignored: a claim changes nothing
    uint8_t filled = 0;   ///< storage::artist_column bits of non-null columns
    bool image_offered = false; ///< a provider's image link was offered
    std::string name; ///< the displayed spelling (see better_spelling)
  };
  struct album_rec {
    std::string mbid;
    bool rg = false;
    provider_mask ids = 0;
    bool settled = false;
    uint8_t filled = 0;           ///< storage::album_column bits
    bool image_offered = false;   ///< a provider's image link was offered
    std::vector<int64_t> artists; ///< linked in album_artists, in order
    std::string title;            ///< the displayed spelling
    int32_t total_tracks = 0;     ///< its track count, 0: unknown
    /// The folders (matching::folder_key) its local files are in: another
    /// album with its title in another folder is another release.
    std::vector<uint64_t> folders;
    /// Its tracks' places and titles (matching::track_position): another
    /// title at a known place is another release.
    std::vector<uint64_t> positions;
  };
  struct track_rec {
    key128 mbid; ///< its hashes (no text kept: 200,000 of them)
    bool isrc = false, rtm = false;
    provider_mask ids = 0;
    bool has_local = false; ///< backed by a file on disk right now
  };

  /// One index per provider slot: provider id -> row.
  using provider_indexes = std::vector<index>;

  /// `providers`: the provider names, whose order gives their slots (and
  /// the order of the provider id columns). At most 32.
  explicit identity_index(std::vector<std::string> providers);

  const std::vector<std::string>& providers() const {
    return providers_;
  }
  /// The slot of `provider`, or providers().size() if it has none.
  size_t slot(std::string_view provider) const;

  /// Forgets everything; ids start at 1 again.
  void clear();
  /// Clears, then loads every row through the dedup queries. `columns` are
  /// the provider id columns in slot order (storage::provider_id_columns).
  void load(storage::database& db, const std::vector<std::string>& columns);

  /// Add one known row (what load does for each row of the database), by
  /// ascending id.
  void add(const storage::artist_identity& row);
  void add(const storage::album_identity& row);
  void add(const storage::track_identity& row);
  /// Files a recorded spelling (table artist_spellings) of a known artist.
  void add_spelling(int64_t artist, const std::string& spelling);

  /// Files `id` once in a list of ascending ids; false if it was there.
  static bool insert_sorted(std::vector<int64_t>& ids, int64_t id);
  /// Files `folder` (a folder_key, 0: none) once under album `r`.
  static void add_folder(album_rec& r, uint64_t folder);
  /// Files `position` (a track_position, 0: none) once under album `r`.
  static void add_position(album_rec& r, uint64_t position);
  /// Whether row `id` may take `key` of `idx`: never a key another row
  /// carries (the unique indexes would reject the whole batch).
  static bool free_for(const index& idx, const std::string& key, int64_t id);

  /// The key album_by_name / track_by_name file a row under.
  static std::string album_key(int64_t first_artist,
                               std::string_view normalized_title);
  static std::string track_key(int64_t artist, int64_t album,
                               std::string_view normalized_title);

  std::unordered_map<int64_t, artist_rec> artists;
  std::unordered_map<int64_t, album_rec> albums;
  std::unordered_map<int64_t, track_rec> tracks;
  index artist_by_mbid;
  provider_indexes artist_by_provider;
  /// library::artist_spelling of every name a row was seen with (kept in
  /// table artist_spellings, so a warm-up knows them all) -> ids, ascending.
  multi_index artist_by_spelling;
  index album_by_mbid;
  provider_indexes album_by_provider;
  multi_index album_by_name; ///< album_key -> ids, ascending
  /// Track MBID and ISRC -> ids, by hashes of the text (key_index).
  key_index track_by_mbid, track_by_isrc;
  provider_indexes track_by_provider;
  /// Local path -> track, by a hash of the path (actors/dedup/path_index.hpp).
  path_index track_by_path;
  key_index track_by_name; ///< track_key -> ids, ascending (hashed)
  /// The next row ids: the dedup store is the only inserter of entities.
  int64_t next_artist = 1, next_album = 1, next_track = 1;

private:
  std::vector<std::string> providers_;
};

} // namespace discotheque::dedup
