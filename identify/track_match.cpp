// Library tracks to release tracks, one to one: every plausible pair is
// scored on title, position and length (an equal ISRC is a match outright),
// the best pairs are taken first.
#include "identify/album_match.hpp"
#include "identify/track_pairs.hpp"

#include "identify/text.hpp"

#include <algorithm>
#include <cstdlib>

namespace discotheque::identify {

namespace {

constexpr int64_t length_exact_ms = 3000;  // within this: the same length
constexpr int64_t length_far_ms = 20000;   // beyond this: another version
constexpr int64_t position_only_ms = 2000; // position + this close: a match

std::optional<double> length_score(const library_track& lib,
                                   const mb_track& rel) {
  if (!lib.length_ms || !rel.length_ms)
    return std::nullopt;
  auto d = std::llabs(*lib.length_ms - *rel.length_ms);
  if (d <= length_exact_ms)
    return 1.0;
  if (d >= length_far_ms)
    return 0.0;
  return 1.0
         - static_cast<double>(d - length_exact_ms)
             / (length_far_ms - length_exact_ms);
}

bool same_position(const library_track& lib, const mb_track& rel,
                   size_t overall_index) {
  if (lib.position <= 0)
    return false;
  if (lib.disc > 0)
    return lib.disc == rel.disc && lib.position == rel.position;
  return static_cast<size_t>(lib.position) == overall_index + 1;
}

} // namespace

std::vector<track_pair> track_pairs(const std::vector<library_track>& tracks,
                                    const mb_release& release) {
  auto rel = release.tracks();
  std::vector<track_pair> candidates;
  for (size_t i = 0; i < tracks.size(); ++i) {
    const auto& lib = tracks[i];
    auto key = title_key(lib.title);
    for (size_t j = 0; j < rel.size(); ++j) {
      double t = similarity(key, title_key(rel[j].title));
      if (!rel[j].recording_title.empty())
        t = std::max(t, similarity(key, title_key(rel[j].recording_title)));
      auto len = length_score(lib, rel[j]);
      bool pos = same_position(lib, rel[j], j);
      bool close = lib.length_ms && rel[j].length_ms
                   && std::llabs(*lib.length_ms - *rel[j].length_ms)
                        <= position_only_ms;
      // The same ISRC is the same recording, whatever the titles say.
      bool isrc = !lib.isrc.empty()
                  && std::find(rel[j].isrcs.begin(), rel[j].isrcs.end(),
                               lib.isrc)
                       != rel[j].isrcs.end();
      bool accept = isrc || (t >= 0.85 && (!len || *len > 0 || pos))
                    || (t >= 0.5 && (pos || (len && *len >= 0.8)))
                    || (pos && close);
      if (!accept)
        continue;
      if (isrc)
        t = 1.0;
      double score = 0.5 * t + 0.25 * (pos || isrc ? 1.0 : 0.0)
                     + 0.25
                         * (len    ? *len
                            : isrc ? 1.0
                                   : 0.5);
      candidates.push_back({i, j, score, t, len});
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const auto& a, const auto& b) {
                     return a.score > b.score;
                   });
  std::vector<bool> lib_used(tracks.size());
  std::vector<bool> rel_used(rel.size());
  std::vector<track_pair> out;
  for (const auto& c : candidates) {
    if (lib_used[c.lib] || rel_used[c.rel])
      continue;
    lib_used[c.lib] = true;
    rel_used[c.rel] = true;
    out.push_back(c);
  }
  return out;
}

std::vector<track_match> match_tracks(const std::vector<library_track>& tracks,
                                      const mb_release& release) {
  std::vector<track_match> out(tracks.size());
  for (size_t i = 0; i < tracks.size(); ++i)
    out[i].track_id = tracks[i].id;
  auto rel = release.tracks();
  for (const auto& p : track_pairs(tracks, release)) {
    auto& m = out[p.lib];
    if (!rel[p.rel].recording_mbid.empty())
      m.recording = rel[p.rel].recording_mbid;
    if (!rel[p.rel].track_mbid.empty())
      m.track = rel[p.rel].track_mbid;
    m.score = p.score;
  }
  return out;
}

} // namespace discotheque::identify
