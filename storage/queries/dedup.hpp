// The reads of the dedup store: the identity of every library row (its
// warm-up) and the claims a run did not renew (reconcile). Plain rows out,
// SQL text stays here.
#pragma once

#include "storage/database.hpp"

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace discotheque::storage {

/// The id column each provider has in artists, albums and tracks
/// (`<provider>_id`), in the order of `providers`. Throws sqlite_error when
/// one of the tables lacks it: a provider name is never pasted into SQL
/// unless the schema has its column.
std::vector<std::string>
provider_id_columns(database& db, const std::vector<std::string>& providers);

/// Which optional columns of a row are not null. The dedup store writes only
/// what fills one of them (on a scan most entities are seen again and again).
enum artist_column : uint8_t {
  artist_sort_name = 1,
  artist_genres = 2,
  artist_primary_source = 4,
};
enum album_column : uint8_t {
  album_release_group = 1,
  album_upc = 2,
  album_type = 4,
  album_release_date = 8,
  album_total_tracks = 16,
  album_total_discs = 32,
  album_genres = 64,
  album_primary_source = 128,
};

struct artist_identity {
  int64_t id = 0;
  std::string normalized_name;
  std::string mbid;
  std::vector<std::string> ids; ///< per provider column, "" = null
  bool settled = false;         ///< owned or ignored
  uint8_t filled = 0;           ///< artist_column bits
  std::string name;
};

struct album_identity {
  int64_t id = 0;
  std::string normalized_title;
  std::string mbid;
  bool has_release_group = false;
  std::vector<std::string> ids;
  int64_t first_artist = 0; ///< album_artists position 0, 0 = none
  bool settled = false;
  uint8_t filled = 0; ///< album_column bits
  std::string title;
  std::vector<int64_t> artists; ///< album_artists in position order
  int32_t total_tracks = 0;     ///< 0: unknown
};

struct track_identity {
  int64_t id = 0;
  std::string normalized_title;
  std::string mbid;
  std::string isrc;
  bool has_release_track = false;
  std::vector<std::string> ids;
  int64_t album_id = 0;
  int64_t artist_id = 0;
  std::string local_path;
  int32_t track_number = 0; ///< 0: unknown
  int32_t disc_number = 0;  ///< 0: unknown
};

/// Calls `f` for every artist, album and track, by ascending id. `columns`
/// comes from provider_id_columns.
void read_artist_identities(database& db,
                            const std::vector<std::string>& columns,
                            const std::function<void(artist_identity&)>& f);
void read_album_identities(database& db,
                           const std::vector<std::string>& columns,
                           const std::function<void(album_identity&)>& f);
void read_track_identities(database& db,
                           const std::vector<std::string>& columns,
                           const std::function<void(track_identity&)>& f);

/// Calls `f(artist_id, spelling)` for every recorded spelling of an artist
/// that exists (table artist_spellings), by ascending artist id.
void read_artist_spellings(
  database& db, const std::function<void(int64_t, const std::string&)>& f);

/// An ownership claim of (source, reason) a run did not renew.
struct stale_claim {
  std::string entity_type; ///< artist, album, track
  int64_t entity_id = 0;
};

std::vector<stale_claim> stale_claims(database& db, const std::string& source,
                                      const std::string& reason,
                                      int64_t run_id);

/// What the ownership cascade of SPEC §4 has to look at once a claim is gone:
/// the album and artists of a track, the artists of an album.
class claim_cascade_reads {
public:
  explicit claim_cascade_reads(database& db);

  void albums_of_track(int64_t track, std::set<int64_t>& into);
  void artists_of_track(int64_t track, std::set<int64_t>& into);
  void artists_of_album(int64_t album, std::set<int64_t>& into);

private:
  statement albums_of_track_;
  statement artists_of_track_;
  statement artists_of_album_;
};

/// The highest ownership_changes id (0: none yet). The dedup store compares it
/// with the last one it saw: a user's own, unown, ignore or unignore may
/// have made its "owned or ignored" flags stale.
int64_t last_ownership_change(database& db);
/// Whether each artist and album is owned or ignored, as the warm-up reads
/// it (`artist` false: an album).
void read_settled(
  database& db,
  const std::function<void(bool artist, int64_t id, bool settled)>& f);

} // namespace discotheque::storage
