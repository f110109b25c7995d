// The writes of the dedup store: artists, albums, tracks, their credits and
// ownership claims. Every builder appends its statements to the one
// write_request a batch becomes. Statements that name a provider column are
// built once per provider list, when the builders are made.
#pragma once

#include "messages/types.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace discotheque::storage {

/// An artist's columns. Fill statements write only what is null in the row
/// (COALESCE), so null values (sql_value::null()) change nothing there.
struct artist_columns {
  int64_t id = 0;
  std::string name;
  std::string normalized_name;
  sql_value sort_name;
  sql_value mbid;
  std::vector<sql_value> ids; ///< one per provider column
  bool owned = false;         ///< a discovered row becomes owned
  std::string source;         ///< primary_source
  sql_value genres;           ///< JSON array
};

struct album_columns {
  int64_t id = 0;
  std::string title;
  std::string normalized_title;
  sql_value mbid;
  sql_value release_group_mbid;
  std::vector<sql_value> ids;
  sql_value upc;
  sql_value album_type;
  sql_value release_date;
  sql_value total_tracks;
  sql_value total_discs;
  sql_value genres;
  bool owned = false;
  std::string source;
};

struct track_columns {
  int64_t id = 0;
  std::string title;
  std::string normalized_title;
  sql_value mbid;
  sql_value release_track_mbid;
  sql_value isrc;
  std::vector<sql_value> ids;
  sql_value album_id;
  int64_t artist_id = 0;
  sql_value track_number;
  sql_value track_total;
  sql_value disc_number;
  sql_value disc_total;
  sql_value duration_ms;
  sql_value genre;
  bool owned = false;
  std::string source;
  /// Local files: the album came from the file's folder
  /// (tracks.album_inferred).
  bool album_inferred = false;
};

/// A new track: its columns plus the state only an insert sets.
struct new_track {
  track_columns columns;
  std::string download_state;
  sql_value download_state_updated_at;
  sql_value local_path;
  sql_value file_size;
  sql_value file_mtime;
};

/// A credit in track_artists.
struct track_credit {
  int64_t track_id = 0;
  int64_t artist_id = 0;
  const char* role = "main"; ///< main, featured
  int64_t position = 0;
};

/// What a merge does to the download state of a known track.
enum class download_change {
  keep,    ///< nothing
  on_disk, ///< the file is on disk: downloaded
  queue,   ///< auto-queue: not_needed or failed becomes pending (not ignored)
};

class library_writes {
public:
  /// New rows go out as multi-row INSERTs of at most this many rows, bound
  /// directly: no per-row statement, no JSON to parse in SQLite.
  static constexpr size_t rows_per_insert = 64;

  /// `provider_columns`: the provider id columns (provider_id_columns), in
  /// the order of every `ids` vector handed to the builders.
  explicit library_writes(std::vector<std::string> provider_columns);

  const std::vector<std::string>& provider_columns() const {
    return columns_;
  }

  void insert_artist(write_request& req, artist_columns x) const;
  /// Fills the null columns of a known artist from `x` (name unchanged).
  void fill_artist(write_request& req, artist_columns x) const;
  void rename_artist(write_request& req, int64_t id, std::string name) const;
  /// Records that artist `id` was seen with `spelling` (its
  /// library::artist_spelling), so that the warm-up after a restart matches
  /// that spelling as the merge did before it (table artist_spellings).
  void add_artist_spelling(write_request& req, int64_t id,
                           std::string spelling) const;

  void insert_album(write_request& req, album_columns x) const;
  void fill_album(write_request& req, album_columns x) const;
  void rename_album(write_request& req, int64_t id, std::string title) const;
  /// Links an artist at `position` unless the pair is linked already.
  void link_album_artist(write_request& req, int64_t album, int64_t artist,
                         int64_t position) const;

  /// Appends `rows` as multi-row INSERTs and empties it. The SQL text of each
  /// row count is built once, so the store prepares it once.
  void insert_tracks(write_request& req, std::vector<new_track>& rows);
  void insert_credits(write_request& req, std::vector<track_credit>& rows);
  /// Fills the null columns of a known track (ownership and download state as
  /// `x.owned` and `download` say).
  void fill_track(write_request& req, track_columns x,
                  download_change download) const;
  /// The file behind a track changed: the file is authoritative for what it
  /// says (title, numbers, credits); ids are left to fill_track.
  void refresh_track_from_file(write_request& req, track_columns x) const;
  void clear_track_credits(write_request& req, int64_t track) const;
  void set_track_file(write_request& req, int64_t track, std::string path,
                      int64_t size, int64_t mtime) const;
  /// The track's file is gone: no local file, back to not_needed.
  void clear_track_file(write_request& req, int64_t track) const;

  /// Claims (entity_type, id) for (source, reason) by `run_id` (a claim seen
  /// again is renewed with the new run).
  static void upsert_claims(write_request& req, const std::string& type,
                            const std::vector<int64_t>& ids,
                            const std::string& source,
                            const std::string& reason, int64_t run_id);

private:
  std::vector<std::string> columns_;
  std::string artist_insert_, artist_fill_;
  std::string album_insert_, album_fill_;
  std::string track_insert_head_, track_fill_;
  size_t track_insert_columns_ = 0;
  /// Multi-row INSERT texts by (table, row count).
  std::map<std::pair<int, size_t>, std::string> insert_sql_;
};

/// Releases the claims of (source, reason) that `run_id` did not renew.
void release_stale_claims(write_request& req, const std::string& source,
                          const std::string& reason, int64_t run_id);
/// SPEC §4 cascade: an owned entity that lost its last claim goes back to
/// discovered unless something owned still holds it (an album its owned
/// tracks, an artist its owned tracks as main artist or owned albums).
void release_track(write_request& req, int64_t id);
void release_album(write_request& req, int64_t id);
void release_artist(write_request& req, int64_t id);

} // namespace discotheque::storage
