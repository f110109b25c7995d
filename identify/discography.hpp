// Comparing an artist's release groups with the library (issue 13), as
// plain functions: whether a group is already there (by its MBID, or by
// the album distance for the library's unidentified albums of a related
// title, never by title alone), which release of a missing group stands
// for it, the album and tracks it becomes, and whether a first-release
// date is new. No actors, no SQLite, no HTTP.
#pragma once

#include "identify/album_match.hpp"
#include "messages/expand.hpp"
#include "messages/library.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace discotheque::identify {

enum class group_standing {
  in_library,   ///< an album carries the group's MBID
  needs_tracks, ///< unidentified albums of a related title: compare tracks
  missing,      ///< nothing in the library can be this group
};

struct group_check {
  group_standing standing = group_standing::missing;
  int64_t album_id = 0;         ///< in_library: the album
  std::vector<int64_t> related; ///< needs_tracks: the albums to compare
};

/// Where release group `g` stands among the artist's `albums` (every
/// ownership state: an ignored album is there too).
group_check check_group(const mb_release_group& g,
                        const std::vector<album_in_library>& albums);

/// What a comparison by tracks concluded for a needs_tracks group.
enum class tracks_verdict {
  same,      ///< one related album is this group (album distance)
  collision, ///< not shown to be the same, but an album has its title:
             ///< adding it could be merged into that album by name
  different, ///< only similar titles, none the same album: add it
};

/// Compares the related albums with the group's `release` (its track
/// list): decide_album with that one candidate; `same_id` gets the album.
tracks_verdict
compare_by_tracks(const mb_release_group& g, const mb_release& release,
                  const std::vector<album_in_library>& albums,
                  const std::vector<int64_t>& related,
                  const std::string& artist, const std::string& artist_mbid,
                  const album_settings& settings, int64_t& same_id);

/// The release that stands for a group: Official first, then the earliest
/// date (a dated one before an undated one), then the lowest MBID; null
/// when there is none.
const mb_release* representative_release(const std::vector<mb_release>& rs);

/// The album (discovered or owned as the batch says) and its tracks that a
/// missing group becomes: the group's title, MBIDs, type and first-release
/// date, the release's track list filed under the artist. The tracks name
/// their album by its release MBID only.
struct album_to_add {
  album_dto album;
  std::vector<track_dto> tracks;
};
album_to_add album_of(const mb_release_group& g, const mb_release& release,
                      const std::string& artist,
                      const std::string& artist_mbid);

/// Whether a first-release date ("", "2026", "2026-03", "2026-03-07") is
/// on or after `cutoff` ("YYYY-MM-DD"), compared at the date's own
/// precision (a month is new when the cutoff's month is that or earlier);
/// an empty date never is.
bool released_since(std::string_view date, std::string_view cutoff);

} // namespace discotheque::identify
