// Scoring artist candidates. A candidate's raw score is a name prior
// (how well the name matches, scaled by MusicBrainz's own score) plus the
// evidence the library has: album overlap, ISRC overlap, country, type,
// a disambiguation naming one of the albums. The confidence is the raw
// score cut to 0..1; the margin is taken on the raw scores, so that strong
// evidence still separates two candidates whose names both match exactly.
#include "identify/artist_match.hpp"

#include "identify/text.hpp"
#include "library/normalize.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

namespace discotheque::identify {

namespace {

// Name scores by kind of match; anything below `same_name` is a near name.
constexpr double exact_name = 1.0;
constexpr double normalized_name = 0.97;
constexpr double sort_name_match = 0.95;
constexpr double alias_match = 0.93;
constexpr double main_credit_match = 0.9;
constexpr double same_name = 0.9;
constexpr double near_name_factor = 0.7;

// Evidence weights (added to the prior).
constexpr double per_album = 0.12;
constexpr double max_albums = 0.3;
constexpr double self_titled_weight = 0.25;
constexpr double per_missing_album = 0.05;
constexpr double max_album_penalty = 0.2;
constexpr double per_isrc = 0.15;
constexpr double max_isrcs = 0.3;
constexpr double country_match = 0.05;
constexpr double country_mismatch = -0.15;
constexpr double type_match = 0.03;
constexpr double type_mismatch = -0.1;
constexpr double disambiguation_hit = 0.05;

struct name_result {
  double score = 0;
  bool alias = false;
  std::string kind; ///< for `why`: "exact", "normalized", "alias", ...
};

name_result match_name(const library_artist& lib, const mb_artist& c) {
  auto raw = lib.name;
  auto key = name_key(lib.name);
  if (c.name == raw)
    return {exact_name, false, "exact"};
  if (name_key(c.name) == key)
    return {normalized_name, false, "normalized"};
  if (!c.sort_name.empty() && name_key(c.sort_name) == key)
    return {sort_name_match, true, "sort name"};
  for (const auto& a : c.aliases)
    if (a == raw || name_key(a) == key)
      return {alias_match, true, "alias \"" + a + "\""};
  auto main = name_key(library::split_featured(lib.name).main);
  if (main != key && main == name_key(c.name))
    return {main_credit_match, false, "main credit"};
  double sim = similarity(key, name_key(c.name));
  for (const auto& a : c.aliases)
    sim = std::max(sim, similarity(key, name_key(a)));
  return {near_name_factor * sim, false, "near"};
}

bool same_code(const std::string& a, const std::string& b) {
  return library::lower_ascii(a) == library::lower_ascii(b);
}

struct album_evidence {
  bool known = false;
  double matched = 0;
  double total = 0;
  double adjust = 0;
};

album_evidence albums_of(const library_artist& lib, const std::string& mbid,
                         const release_groups_by_artist& release_groups) {
  album_evidence ev;
  std::set<std::string> lib_keys;
  for (const auto& t : lib.album_titles)
    lib_keys.insert(title_key(t));
  for (const auto& k : lib_keys)
    ev.total += k == name_key(lib.name) ? self_titled_weight : 1.0;
  auto it = release_groups.find(mbid);
  if (it == release_groups.end())
    return ev;
  ev.known = true;
  std::set<std::string> rg_keys;
  for (const auto& rg : it->second)
    rg_keys.insert(title_key(rg.title));
  for (const auto& k : lib_keys)
    if (rg_keys.count(k) > 0)
      ev.matched += k == name_key(lib.name) ? self_titled_weight : 1.0;
  // None of the albums: the more there are, the less likely the artist.
  if (ev.matched > 0)
    ev.adjust = std::min(max_albums, per_album * ev.matched);
  else if (ev.total >= 1)
    ev.adjust = -std::min(max_album_penalty, per_missing_album * ev.total);
  return ev;
}

struct isrc_evidence {
  int resolved = 0;
  int matched = 0;
  double adjust = 0;
};

isrc_evidence isrcs_of(const library_artist& lib, const std::string& mbid,
                       const artists_by_isrc& isrc_artists) {
  isrc_evidence ev;
  std::set<std::string> seen;
  for (const auto& isrc : lib.isrcs) {
    if (!seen.insert(isrc).second)
      continue;
    auto it = isrc_artists.find(isrc);
    if (it == isrc_artists.end() || it->second.empty())
      continue;
    ++ev.resolved;
    if (std::find(it->second.begin(), it->second.end(), mbid)
        != it->second.end())
      ++ev.matched;
  }
  if (ev.matched > 0)
    ev.adjust = std::min(max_isrcs, per_isrc * ev.matched);
  else if (ev.resolved >= 2)
    ev.adjust = -0.1;
  else if (ev.resolved == 1)
    ev.adjust = -0.05;
  return ev;
}

bool disambiguation_names_album(const library_artist& lib, const mb_artist& c) {
  if (c.disambiguation.empty())
    return false;
  auto d = library::fold(c.disambiguation);
  for (const auto& t : lib.album_titles) {
    auto k = title_key(t);
    if (k.size() >= 4 && k != name_key(lib.name)
        && (k == d || is_word_substring(k, d)))
      return true;
  }
  return false;
}

struct scored {
  scored_candidate out;
  double prior = 0;
  double raw = 0;
  name_result name;
  album_evidence albums;
  isrc_evidence isrcs;
  double evidence = 0; ///< albums + isrcs adjustments
};

scored score_one(const library_artist& lib, const mb_artist& c,
                 const release_groups_by_artist& rgs,
                 const artists_by_isrc& isrc_artists) {
  scored s;
  s.out.mbid = c.mbid;
  s.out.name = c.name;
  s.out.disambiguation = c.disambiguation;
  auto& f = s.out.features;
  s.name = match_name(lib, c);
  double mb = std::clamp(c.mb_score, 0, 100) / 100.0;
  s.prior = s.name.score * (0.75 + 0.25 * mb);
  f["name"] = s.name.score;
  f["alias"] = s.name.alias ? 1 : 0;
  f["mb_score"] = c.mb_score;
  f["prior"] = s.prior;
  double country = 0;
  if (!lib.country.empty() && !c.country.empty())
    country = same_code(lib.country, c.country) ? country_match
                                                : country_mismatch;
  f["country"] = country;
  double type = 0;
  if (!lib.type.empty() && !c.type.empty())
    type = same_code(lib.type, c.type) ? type_match : type_mismatch;
  f["type"] = type;
  s.albums = albums_of(lib, c.mbid, rgs);
  f["albums_known"] = s.albums.known ? 1 : 0;
  f["albums_matched"] = s.albums.matched;
  f["albums_total"] = s.albums.total;
  f["albums"] = s.albums.adjust;
  s.isrcs = isrcs_of(lib, c.mbid, isrc_artists);
  f["isrcs_resolved"] = s.isrcs.resolved;
  f["isrcs_matched"] = s.isrcs.matched;
  f["isrcs"] = s.isrcs.adjust;
  double disamb = disambiguation_names_album(lib, c) ? disambiguation_hit : 0;
  f["disambiguation"] = disamb;
  s.evidence = s.albums.adjust + s.isrcs.adjust;
  s.raw = s.prior + s.evidence + country + type + disamb;
  f["raw"] = s.raw;
  s.out.score = std::clamp(s.raw, 0.0, 1.0);
  return s;
}

std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

/// A weighted count: "2" when whole, "2.25" when a self-titled album
/// counted a quarter.
std::string count(double x) {
  if (x == static_cast<double>(static_cast<int64_t>(x)))
    return std::to_string(static_cast<int64_t>(x));
  return fmt(x);
}

std::string label(const scored& s) {
  auto r = "\"" + s.out.name + "\"";
  if (!s.out.disambiguation.empty())
    r += " (" + s.out.disambiguation + ")";
  return r + " " + s.out.mbid;
}

std::string evidence_text(const scored& s) {
  std::string r = "name " + s.name.kind;
  if (s.albums.known)
    r += ", " + count(s.albums.matched) + " of " + count(s.albums.total)
         + " albums match";
  if (s.isrcs.resolved > 0)
    r += ", " + std::to_string(s.isrcs.matched) + " of "
         + std::to_string(s.isrcs.resolved) + " ISRCs match";
  if (s.out.features.at("country") > 0)
    r += ", country matches";
  else if (s.out.features.at("country") < 0)
    r += ", country differs";
  return r;
}

} // namespace

artist_decision decide_artist(const library_artist& artist,
                              const std::vector<mb_artist>& candidates,
                              const release_groups_by_artist& release_groups,
                              const identify_settings& settings) {
  return decide_artist(artist, candidates, release_groups, artists_by_isrc{},
                       settings);
}

artist_decision decide_artist(const library_artist& artist,
                              const std::vector<mb_artist>& candidates,
                              const release_groups_by_artist& release_groups,
                              const artists_by_isrc& isrc_artists,
                              const identify_settings& settings) {
  artist_decision d;
  std::vector<scored> all;
  std::set<std::string> seen;
  for (const auto& c : candidates)
    if (seen.insert(c.mbid).second)
      all.push_back(score_one(artist, c, release_groups, isrc_artists));
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a.raw > b.raw; });
  for (const auto& s : all)
    d.candidates.push_back(s.out);
  if (all.empty()) {
    d.why = "MusicBrainz found no artist for \"" + artist.name + "\"";
    return d;
  }
  const auto& best = all[0];
  d.confidence = best.out.score;
  d.margin = all.size() > 1 ? best.raw - all[1].raw : best.raw;
  if (best.name.score < same_name) {
    d.why = "no candidate named \"" + artist.name + "\"; closest " + label(best)
            + " (name " + fmt(best.name.score) + ")";
    return d;
  }
  // Same-name rivals: names that match too and priors the best one does
  // not clearly beat without evidence.
  std::vector<const scored*> rivals;
  for (size_t i = 1; i < all.size(); ++i)
    if (all[i].name.score >= same_name
        && best.prior - all[i].prior < settings.min_margin)
      rivals.push_back(&all[i]);
  if (d.confidence < settings.min_confidence) {
    d.why = "best " + label(best) + " (" + evidence_text(best) + ") at "
            + fmt(d.confidence) + " is below the minimum confidence "
            + fmt(settings.min_confidence);
    return d;
  }
  if (d.margin < settings.min_margin) {
    const auto& second = all[1];
    if (second.name.score >= same_name) {
      d.why = std::to_string(1 + rivals.size()) + " candidates named \""
              + artist.name + "\" (" + label(best) + "; " + label(second)
              + "), ";
      d.why += best.evidence == 0 && second.evidence == 0
                 ? "no evidence separates them"
                 : "the evidence does not separate them (margin "
                     + fmt(d.margin) + " < " + fmt(settings.min_margin) + ")";
    } else {
      d.why = "runner-up " + label(second) + " is too close (margin "
              + fmt(d.margin) + " < " + fmt(settings.min_margin) + ")";
    }
    return d;
  }
  // Won by album evidence while a same-name rival's albums are unknown:
  // that rival might have had the same albums.
  if (best.albums.known && best.albums.adjust > 0)
    for (const auto* r : rivals)
      if (!r->albums.known) {
        d.why = "release groups of the same-name " + label(*r)
                + " were not fetched; cannot tell it from " + label(best);
        return d;
      }
  d.chosen = best.out.mbid;
  d.why = "chose " + label(best) + ": " + evidence_text(best);
  if (all.size() > 1)
    d.why += "; runner-up " + label(all[1]) + " at " + fmt(all[1].out.score);
  return d;
}

std::vector<std::string>
candidates_to_browse(const library_artist& artist,
                     const std::vector<mb_artist>& candidates, size_t limit) {
  std::vector<const mb_artist*> named;
  for (const auto& c : candidates)
    if (match_name(artist, c).score >= same_name)
      named.push_back(&c);
  std::stable_sort(named.begin(), named.end(),
                   [](auto a, auto b) { return a->mb_score > b->mb_score; });
  std::vector<std::string> out;
  for (auto c : named)
    if (out.size() < limit
        && std::find(out.begin(), out.end(), c->mbid) == out.end())
      out.push_back(c->mbid);
  return out;
}

} // namespace discotheque::identify
