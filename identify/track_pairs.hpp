// The pairing behind match_tracks, shared with the album distance (which
// needs the title similarity and length of every pair, not only the ids).
#pragma once

#include "identify/album_match.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace discotheque::identify {

struct track_pair {
  size_t lib = 0;               ///< index into the library tracks
  size_t rel = 0;               ///< index into release.tracks()
  double score = 0;             ///< 0..1
  double title = 0;             ///< title similarity
  std::optional<double> length; ///< 1 same length .. 0 far apart
};

/// The accepted pairs, one to one, best first.
std::vector<track_pair> track_pairs(const std::vector<library_track>& tracks,
                                    const mb_release& release);

} // namespace discotheque::identify
