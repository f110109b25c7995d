// Message types of the expand phase (issue 13): what the expand tasks read
// of the library in one go (the owned, identified artists with their
// albums, the profile and the settings that decide what is added).
#pragma once

#include "messages/identify.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace discotheque {

/// One album of an artist to expand, as the library has it.
struct album_in_library {
  int64_t id = 0;
  std::string title;
  std::string mbid;               ///< release MBID or empty
  std::string release_group_mbid; ///< or empty
  std::string release_date;
  int32_t total_tracks = 0;
  std::string ownership_state;
  std::vector<track_to_identify> tracks;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, album_in_library& x) {
  return f(caf::meta::type_name("album_in_library"), x.id, x.title, x.mbid,
           x.release_group_mbid, x.release_date, x.total_tracks,
           x.ownership_state, x.tracks);
}

/// An owned artist with an MBID, its own profile (JSON text, empty: the
/// library's) and whether its new albums are added as owned.
struct artist_to_expand {
  int64_t id = 0;
  std::string name;
  std::string mbid;
  std::string profile;
  bool monitor = false;
  std::vector<album_in_library> albums;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, artist_to_expand& x) {
  return f(caf::meta::type_name("artist_to_expand"), x.id, x.name, x.mbid,
           x.profile, x.monitor, x.albums);
}

/// Everything one expand run starts from.
struct expand_plan {
  std::vector<artist_to_expand> artists;
  std::string profile; ///< library.metadata_profile (JSON text) or empty
  bool auto_queue = false;
  int64_t new_release_days = 30;
  /// The start of the task's last successful run, epoch ms (0: never).
  int64_t last_success_at = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, expand_plan& x) {
  return f(caf::meta::type_name("expand_plan"), x.artists, x.profile,
           x.auto_queue, x.new_release_days, x.last_success_at);
}

} // namespace discotheque
