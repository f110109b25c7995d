#include "identify/album_library.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <tuple>

namespace discotheque::identify {

using nlohmann::json;

library_album library_album_of(const album_to_identify& a) {
  library_album la;
  la.id = a.id;
  la.title = a.title;
  la.artist = a.artist;
  la.artist_mbid = a.artist_mbid;
  if (a.release_date.size() >= 4) {
    // The year's text must outlive `end`, which points into it.
    auto year = a.release_date.substr(0, 4);
    char* end = nullptr;
    auto y = std::strtol(year.c_str(), &end, 10);
    if (end != nullptr && *end == '\0' && y > 0)
      la.year = static_cast<int>(y);
  }
  la.barcode = a.upc;
  if (a.total_tracks > 0)
    la.track_count = a.total_tracks;
  for (const auto& t : a.tracks) {
    library_track lt;
    lt.id = t.id;
    lt.title = t.title;
    lt.disc = t.disc;
    lt.position = t.position;
    if (t.length_ms > 0)
      lt.length_ms = t.length_ms;
    lt.isrc = t.isrc;
    la.tracks.push_back(std::move(lt));
  }
  return la;
}

const mb_release* release_to_look_up(const library_album& album,
                                     const std::vector<mb_release>& releases) {
  int n = album.track_count.value_or(static_cast<int>(album.tracks.size()));
  auto rank = [&](const mb_release& r) {
    int count_diff = n > 0 && r.track_count > 0 ? std::abs(r.track_count - n)
                                                : 1000;
    int official = r.status == "Official" ? 0 : 1;
    int year_diff = 1000;
    if (album.year && r.date.size() >= 4)
      year_diff
        = std::abs(std::atoi(r.date.substr(0, 4).c_str()) - *album.year);
    return std::make_tuple(count_diff, official, year_diff);
  };
  const mb_release* best = nullptr;
  for (const auto& r : releases)
    if (!r.mbid.empty() && (best == nullptr || rank(r) < rank(*best)))
      best = &r;
  return best;
}

std::string album_candidates_json(const album_decision& d) {
  auto out = json::array();
  for (const auto& c : d.candidates) {
    if (out.size() >= 10)
      break;
    auto features = json::object();
    for (const auto& [k, v] : c.features)
      features[k] = v;
    out.push_back(
      {{"release_group", c.release_group},
       {"release", c.release.empty() ? json(nullptr) : json(c.release)},
       {"title", c.title},
       {"score", c.score},
       {"gate", c.gate.empty() ? json(nullptr) : json(c.gate)},
       {"features", features}});
  }
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace discotheque::identify
