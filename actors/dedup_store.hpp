// The DEDUP STORE actor: the single place where incoming artists, albums and
// tracks (local scan, cloud providers) are matched against the library and
// merged (SPEC §5). It keeps every matching key in memory, warmed from a
// read-only connection at start, allocates row ids itself (it is the only
// inserter of entities) and turns each batch into ONE write_request.
#pragma once

#include "messages/interfaces.hpp"

#include <spdlog/logger.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace discotheque {

struct dedup_config {
  /// The database file, for the read-only warm-up and reconcile queries.
  std::filesystem::path db_path;
  /// Where every write goes.
  store_actor store;
};

struct dedup_state {
  static inline const char* name = "dedup-store";

  // What is known about each row, so that a batch only writes what would
  // change something: on a scan most entities are seen again and again.
  struct artist_rec {
    std::string mbid; ///< needed: artists with different MBIDs never merge
    bool spotify = false, deezer = false, tidal = false;
    bool settled = false; ///< owned or ignored: a claim changes nothing
    uint8_t filled = 0;   ///< artist_field bits of the non-null columns
    std::string name;     ///< the displayed spelling (see better_spelling)
  };
  struct album_rec {
    std::string mbid;
    bool rg = false, spotify = false, deezer = false, tidal = false;
    bool settled = false;
    uint8_t filled = 0;           ///< album_field bits
    std::vector<int64_t> artists; ///< linked in album_artists
    std::string title;            ///< the displayed spelling
  };
  struct track_rec {
    std::string mbid;
    bool isrc = false, rtm = false, spotify = false, deezer = false,
         tidal = false;
    bool has_local = false; ///< backed by a file on disk right now
  };
  using index = std::unordered_map<std::string, int64_t>;
  using multi_index = std::unordered_map<std::string, std::vector<int64_t>>;

  dedup_config config;
  std::shared_ptr<spdlog::logger> log;

  std::unordered_map<int64_t, artist_rec> artists;
  std::unordered_map<int64_t, album_rec> albums;
  std::unordered_map<int64_t, track_rec> tracks;
  index artist_by_mbid, artist_by_spotify, artist_by_deezer, artist_by_tidal;
  multi_index artist_by_name; ///< artist_key(name) -> ids, ascending
  index album_by_mbid, album_by_spotify, album_by_deezer, album_by_tidal;
  multi_index album_by_name; ///< "<artist id>|fold(title)" -> ids
  multi_index track_by_mbid, track_by_isrc;
  index track_by_spotify, track_by_deezer, track_by_tidal, track_by_path;
  multi_index track_by_name; ///< "<artist>|<album>|fold(title)" -> ids
  int64_t next_artist = 1, next_album = 1, next_track = 1;
  /// Multi-row INSERT texts by (statement head, row count), built once.
  std::map<std::pair<const std::string*, size_t>, std::string> insert_sql;
  bool warmed = false;

  /// (Re)loads every index from the database.
  void warm();
};

/// Spawn it detached in production: warm-up (at the first batch) and
/// reconcile read SQLite.
dedup_store_actor::behavior_type
dedup_store(dedup_store_actor::stateful_pointer<dedup_state> self,
            dedup_config config);

} // namespace discotheque
