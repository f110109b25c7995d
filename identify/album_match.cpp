// The album distance (beets' idea: a weighted mean of penalties over what
// both sides know) behind hard gates, and the decision between release
// groups. Weights: title 3, track titles 3, artist gate, track count 2,
// track lengths 2, barcode 1.5, year 1, status 0.5.
#include "identify/album_match.hpp"

#include "identify/text.hpp"
#include "identify/track_pairs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace discotheque::identify {

namespace {

constexpr double w_title = 3;
constexpr double w_tracks = 3;
constexpr double w_track_count = 2;
constexpr double w_lengths = 2;
constexpr double w_barcode = 1.5;
constexpr double w_year = 1;
constexpr double w_status = 0.5;
constexpr double length_grace_ms = 10000; // beets: track_length_grace
constexpr double length_max_ms = 30000;   // beets: track_length_max

std::optional<int> year_of(const std::string& date) {
  if (date.size() < 4)
    return std::nullopt;
  int y = 0;
  for (size_t i = 0; i < 4; ++i) {
    if (date[i] < '0' || date[i] > '9')
      return std::nullopt;
    y = y * 10 + (date[i] - '0');
  }
  return y;
}

std::string digits(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c >= '0' && c <= '9')
      out += c;
  auto nz = out.find_first_not_of('0'); // UPC-A 12 digits = EAN-13 "0..."
  return nz == std::string::npos ? std::string{} : out.substr(nz);
}

std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

/// One title inside the other, and not dwarfed by it: "neon future i" in
/// "neon future ii", "abbey road" in "abbey road sessions", but not "x" in
/// "xanadu" (the similarity tells those apart anyway).
bool nested(const std::string& a, const std::string& b) {
  const auto& shorter = a.size() <= b.size() ? a : b;
  const auto& longer = a.size() <= b.size() ? b : a;
  return !shorter.empty() && shorter != longer
         && longer.find(shorter) != std::string::npos
         && 2 * shorter.size() >= longer.size();
}

/// Why the title cannot decide, or "" when it can.
std::string title_ambiguity(const library_album& album,
                            const std::vector<album_candidate>& cands) {
  if (is_self_titled(album.title, album.artist))
    return "\"" + album.title + "\" is self-titled";
  auto key = title_key(album.title);
  int same = 0;
  for (const auto& c : cands) {
    auto k = title_key(c.group.title);
    if (k.empty())
      continue;
    if (k == key) {
      ++same;
    } else if (nested(k, key)) {
      return "\"" + album.title + "\" and \"" + c.group.title
             + "\" are substrings of one another";
    }
  }
  if (same > 1)
    return std::to_string(same) + " release groups are titled \"" + album.title
           + "\"";
  return "";
}

struct penalty_sum {
  double num = 0;
  double den = 0;
  void add(double weight, double penalty) {
    num += weight * std::clamp(penalty, 0.0, 1.0);
    den += weight;
  }
  double score() const {
    return den == 0 ? 0 : 1 - num / den;
  }
};

struct scored_pair {
  scored_album out;
  const mb_release* release = nullptr;
  double track_share = 0;
  int tracks_matched = 0;
};

bool credits_artist(const std::vector<mb_credit>& credit,
                    const std::string& mbid) {
  return std::any_of(credit.begin(), credit.end(),
                     [&](const auto& c) { return c.artist_mbid == mbid; });
}

scored_pair score_pair(const library_album& album, const mb_release_group& g,
                       const mb_release* r, bool title_decides,
                       const album_settings& settings) {
  scored_pair s;
  s.release = r;
  s.out.release_group = g.mbid;
  s.out.title = g.title.empty() && r != nullptr ? r->title : g.title;
  auto& f = s.out.features;
  penalty_sum sum;
  auto key = title_key(album.title);
  double title = similarity(key, title_key(g.title));
  if (r != nullptr) {
    s.out.release = r->mbid;
    title = std::max(title, similarity(key, title_key(r->title)));
  }
  f["title"] = title;
  f["title_decides"] = title_decides ? 1 : 0;
  if (title_decides)
    sum.add(w_title, 1 - title);
  // Years: the release's own or the group's first.
  if (album.year) {
    std::optional<int> diff;
    for (const auto* d : {&g.first_release_date, r ? &r->date : nullptr})
      if (d != nullptr)
        if (auto y = year_of(*d))
          diff = std::min(diff.value_or(9999), std::abs(*y - *album.year));
    if (diff) {
      f["year_diff"] = *diff;
      sum.add(w_year, *diff / 10.0);
    }
  }
  if (r != nullptr) {
    if (!album.artist_mbid.empty() && !r->credit.empty()
        && !credits_artist(r->credit, album.artist_mbid)) {
      f["artist"] = 0;
      s.out.gate = "artist: the release credits another artist";
      return s;
    }
    f["artist"] = r->credit.empty() ? 0.5 : 1;
    int lib_count
      = album.track_count.value_or(static_cast<int>(album.tracks.size()));
    if (lib_count > 0 && r->track_count > 0) {
      f["track_count"] = r->track_count;
      sum.add(w_track_count,
              std::abs(lib_count - r->track_count)
                / static_cast<double>(std::max(lib_count, r->track_count)));
    }
    if (r->has_tracks && !album.tracks.empty()) {
      auto pairs = track_pairs(album.tracks, *r);
      double titles = 0;
      double lengths = 0;
      int with_length = 0;
      auto rel = r->tracks();
      for (const auto& p : pairs) {
        titles += p.title;
        const auto& lt = album.tracks[p.lib];
        if (lt.length_ms && rel[p.rel].length_ms) {
          double d = std::abs(
            static_cast<double>(*lt.length_ms - *rel[p.rel].length_ms));
          lengths += std::max(0.0, d - length_grace_ms)
                     / (length_max_ms - length_grace_ms);
          ++with_length;
        }
      }
      s.tracks_matched = static_cast<int>(pairs.size());
      s.track_share = pairs.size() / static_cast<double>(album.tracks.size());
      f["tracks_matched"] = s.tracks_matched;
      f["track_titles"] = titles / album.tracks.size();
      sum.add(w_tracks, 1 - titles / album.tracks.size());
      if (with_length > 0) {
        f["track_lengths"] = 1 - lengths / with_length;
        sum.add(w_lengths, lengths / with_length);
      }
    }
    auto lb = digits(album.barcode);
    auto rb = digits(r->barcode);
    if (!lb.empty() && !rb.empty()) {
      f["barcode"] = lb == rb ? 1 : 0;
      sum.add(w_barcode, lb == rb ? 0 : 1);
    }
    if (!r->status.empty())
      sum.add(w_status, r->status == "Official" ? 0 : 0.5);
  }
  s.out.score = sum.score();
  if (!title_decides && s.track_share < settings.min_track_share) {
    s.out.gate = "tracks: the title cannot decide and "
                 + std::to_string(s.tracks_matched) + " of "
                 + std::to_string(album.tracks.size()) + " tracks match";
    if (r == nullptr || !r->has_tracks)
      s.out.gate = "tracks: the title cannot decide and no track list";
  }
  if (!s.out.gate.empty())
    s.out.score = 0;
  f["score"] = s.out.score;
  return s;
}

/// Within one group, a better release; ties go to more matched tracks, the
/// barcode, the track count, an Official status, then the year.
bool better(const library_album& album, const scored_pair& a,
            const scored_pair& b) {
  if (std::abs(a.out.score - b.out.score) > 1e-9)
    return a.out.score > b.out.score;
  if (a.tracks_matched != b.tracks_matched)
    return a.tracks_matched > b.tracks_matched;
  auto rank = [&](const scored_pair& s) {
    int r = 0;
    if (s.release == nullptr)
      return r;
    if (s.out.features.count("barcode") && s.out.features.at("barcode") == 1)
      r += 8;
    int n = album.track_count.value_or(static_cast<int>(album.tracks.size()));
    if (s.release->track_count == n)
      r += 4;
    if (s.release->status == "Official")
      r += 2;
    if (album.year && year_of(s.release->date) == album.year)
      r += 1;
    return r;
  };
  return rank(a) > rank(b);
}

} // namespace

album_decision decide_album(const library_album& album,
                            const std::vector<album_candidate>& candidates,
                            const album_settings& settings) {
  album_decision d;
  auto ambiguity = title_ambiguity(album, candidates);
  bool title_decides = ambiguity.empty();
  // The best pair of every group, in the order of the candidates.
  std::vector<scored_pair> best_of_group;
  std::vector<scored_pair> all;
  for (const auto& c : candidates) {
    std::optional<scored_pair> best;
    auto consider = [&](scored_pair s) {
      all.push_back(s);
      if (!best || better(album, s, *best))
        best = std::move(s);
    };
    if (c.releases.empty())
      consider(score_pair(album, c.group, nullptr, title_decides, settings));
    for (const auto& r : c.releases)
      consider(score_pair(album, c.group, &r, title_decides, settings));
    best_of_group.push_back(std::move(*best));
  }
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.out.score > b.out.score;
  });
  for (const auto& s : all)
    d.candidates.push_back(s.out);
  if (best_of_group.empty()) {
    d.why = "no release group of the artist to compare with \"" + album.title
            + "\"";
    return d;
  }
  std::stable_sort(best_of_group.begin(), best_of_group.end(),
                   [&](const auto& a, const auto& b) {
                     return better(album, a, b);
                   });
  const auto& best = best_of_group[0];
  d.confidence = best.out.score;
  d.margin = best_of_group.size() > 1
               ? best.out.score - best_of_group[1].out.score
               : best.out.score;
  auto label = [](const scored_pair& s) {
    return "\"" + s.out.title + "\" " + s.out.release_group
           + (s.out.release.empty() ? "" : " release " + s.out.release);
  };
  if (!best.out.gate.empty()) {
    d.why = "no candidate passes the gates; best " + label(best) + ": "
            + best.out.gate;
    if (!title_decides)
      d.why += " (" + ambiguity + ")";
    return d;
  }
  if (d.confidence < settings.min_confidence) {
    d.why = "best " + label(best) + " at " + fmt(d.confidence)
            + " is below the minimum confidence "
            + fmt(settings.min_confidence);
    return d;
  }
  if (d.margin < settings.min_margin) {
    d.why = label(best) + " and " + label(best_of_group[1])
            + " are too close (margin " + fmt(d.margin) + " < "
            + fmt(settings.min_margin) + ")";
    return d;
  }
  d.release_group = best.out.release_group;
  if (!best.out.release.empty())
    d.release = best.out.release;
  d.why = "chose " + label(best) + " at " + fmt(d.confidence);
  if (best.release != nullptr && best.release->has_tracks)
    d.why += ", " + std::to_string(best.tracks_matched) + " of "
             + std::to_string(album.tracks.size()) + " tracks match";
  d.why += title_decides ? ", title " + fmt(best.out.features.at("title"))
                         : "; decided by tracks: " + ambiguity;
  return d;
}

std::vector<std::string>
groups_to_fetch(const library_album& album,
                const std::vector<mb_release_group>& groups) {
  auto key = title_key(album.title);
  std::vector<std::string> out;
  for (const auto& g : groups) {
    auto k = title_key(g.title);
    if (k.empty() || key.empty())
      continue;
    bool related = k == key || nested(k, key) || similarity(k, key) >= 0.8;
    if (related && std::find(out.begin(), out.end(), g.mbid) == out.end())
      out.push_back(g.mbid);
  }
  return out;
}

} // namespace discotheque::identify
