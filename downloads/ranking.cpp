#include "downloads/ranking.hpp"

#include "downloads/text.hpp"
#include "identify/text.hpp"

#include <algorithm>
#include <cstdio>

namespace discotheque::downloads {

namespace {

constexpr double format_weight = 40;
constexpr double name_weight = 20;
constexpr double slot_weight = 10;
constexpr double queue_weight = 5;
constexpr double speed_weight = 10;
constexpr double shared_weight = 15;

std::string two_digits(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d", n);
  return buf;
}

// How many users offer a file of the same size and extension, per key
// (slsk-batchdl's strongest signal: the common rip is the right one).
using share_counts = std::map<std::pair<int64_t, std::string>, size_t>;

share_counts count_shares(const std::vector<peer_file>& offered) {
  std::map<std::pair<int64_t, std::string>, std::set<std::string>> users;
  for (const auto& f : offered)
    if (!f.locked && f.size > 0)
      users[{f.size, f.extension}].insert(f.username);
  share_counts out;
  for (const auto& [k, u] : users)
    out[k] = u.size();
  return out;
}

score_breakdown score_of(const peer_file& f, const wanted_track& t,
                         const preferences& prefs, const share_counts& shares) {
  score_breakdown s;
  auto rank = quality_rank(f, prefs).value_or(prefs.formats.size());
  auto n = static_cast<double>(prefs.formats.size());
  s.format = n > 0 ? format_weight * (n - static_cast<double>(rank)) / n : 0;
  auto file = file_names_of(f.filename).file;
  auto title = title_words(t.title);
  double sim = identify::similarity(file, title);
  if (t.track_number > 0) {
    auto nn = two_digits(t.track_number);
    sim = std::max(sim, identify::similarity(file, nn + " " + title));
    sim = std::max(sim,
                   identify::similarity(file, nn + " " + artist_words(t.artist)
                                                + " " + title));
  }
  s.name = name_weight * sim;
  s.slot = f.free_slot ? slot_weight : 0;
  s.queue = queue_weight / (1.0 + static_cast<double>(f.queue_length));
  s.speed = speed_weight
            * std::min(1.0, static_cast<double>(f.upload_speed) / 1048576.0);
  if (auto it = shares.find({f.size, f.extension}); it != shares.end())
    s.shared = shared_weight
               * static_cast<double>(std::min<size_t>(it->second - 1, 5)) / 5;
  return s;
}

std::vector<candidate>
rank_with(const std::vector<peer_file>& offered, const wanted_track& t,
          const preferences& prefs, const blocklist& blocked,
          const std::set<std::string>& avoided, const share_counts& shares) {
  std::vector<candidate> out;
  out.reserve(offered.size());
  for (const auto& f : offered) {
    candidate c;
    c.file = f;
    if (blocked.count({f.username, f.filename}))
      c.rejected = "blocklisted";
    else if (avoided.count(f.username))
      c.rejected = "user avoided";
    else
      c.rejected = gate(f, t, prefs);
    if (c.rejected.empty())
      c.score = score_of(f, t, prefs, shares);
    out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const candidate& a, const candidate& b) {
                     if (a.rejected.empty() != b.rejected.empty())
                       return a.rejected.empty();
                     return a.score.total() > b.score.total();
                   });
  return out;
}

void settle(decision& d) {
  d.chosen = -1;
  d.runner_up = -1;
  d.margin = 0;
  for (size_t i = 0; i < d.candidates.size(); ++i) {
    if (!d.candidates[i].rejected.empty())
      continue;
    if (d.chosen < 0)
      d.chosen = static_cast<int>(i);
    else if (d.runner_up < 0)
      d.runner_up = static_cast<int>(i);
  }
  if (d.chosen >= 0 && d.runner_up >= 0)
    d.margin = d.candidates[static_cast<size_t>(d.chosen)].score.total()
               - d.candidates[static_cast<size_t>(d.runner_up)].score.total();
}

} // namespace

std::vector<candidate>
rank_track(const std::vector<peer_file>& offered, const wanted_track& t,
           const preferences& prefs, const blocklist& blocked,
           const std::set<std::string>& avoided_users) {
  return rank_with(offered, t, prefs, blocked, avoided_users,
                   count_shares(offered));
}

decision decide_track(const std::vector<peer_file>& offered,
                      const wanted_track& t, const preferences& prefs,
                      const blocklist& blocked, std::string query,
                      const std::set<std::string>& avoided_users) {
  decision d;
  d.track_id = t.track_id;
  d.query = std::move(query);
  d.candidates = rank_track(offered, t, prefs, blocked, avoided_users);
  settle(d);
  return d;
}

std::vector<decision>
decide_album(const std::vector<peer_file>& offered,
             const std::vector<wanted_track>& tracks, const preferences& prefs,
             const blocklist& blocked, const std::string& query,
             const std::set<std::string>& avoided_users) {
  auto shares = count_shares(offered);
  std::vector<decision> out;
  for (const auto& t : tracks) {
    decision d;
    d.track_id = t.track_id;
    d.query = query;
    d.candidates = rank_with(offered, t, prefs, blocked, avoided_users, shares);
    settle(d);
    out.push_back(std::move(d));
  }
  if (tracks.size() < 2)
    return out;
  // Per (user, folder): the best acceptable candidate of every track.
  using folder = std::pair<std::string, std::string>;
  std::map<folder, std::vector<int>> best;
  for (size_t ti = 0; ti < out.size(); ++ti) {
    const auto& cs = out[ti].candidates;
    for (size_t ci = 0; ci < cs.size(); ++ci) {
      if (!cs[ci].rejected.empty())
        break; // the rejected ones come last
      folder key{cs[ci].file.username, directory_of(cs[ci].file.filename)};
      auto& slots = best[key];
      if (slots.empty())
        slots.assign(out.size(), -1);
      if (slots[ti] < 0)
        slots[ti] = static_cast<int>(ci);
    }
  }
  const std::vector<int>* pick = nullptr;
  double pick_mean = -1;
  for (const auto& [key, slots] : best) {
    if (std::count(slots.begin(), slots.end(), -1) > 0)
      continue;
    // Two wanted tracks must not be the same file of the folder.
    std::set<std::string> files;
    double sum = 0;
    for (size_t ti = 0; ti < slots.size(); ++ti) {
      const auto& c = out[ti].candidates[static_cast<size_t>(slots[ti])];
      files.insert(c.file.filename);
      sum += c.score.total();
    }
    if (files.size() != slots.size())
      continue;
    auto mean = sum / static_cast<double>(slots.size());
    if (mean > pick_mean) {
      pick_mean = mean;
      pick = &slots;
    }
  }
  if (!pick)
    return out;
  for (size_t ti = 0; ti < out.size(); ++ti) {
    auto& d = out[ti];
    auto chosen = (*pick)[ti];
    d.mode = "album folder";
    d.chosen = chosen;
    d.runner_up = -1;
    d.margin = 0;
    for (size_t ci = 0; ci < d.candidates.size(); ++ci) {
      if (static_cast<int>(ci) == chosen || !d.candidates[ci].rejected.empty())
        continue;
      d.runner_up = static_cast<int>(ci);
      break;
    }
    if (d.runner_up >= 0)
      d.margin = d.candidates[static_cast<size_t>(chosen)].score.total()
                 - d.candidates[static_cast<size_t>(d.runner_up)].score.total();
  }
  return out;
}

bool is_upgrade(const std::optional<size_t>& current_rank,
                const peer_file& candidate_file, const preferences& prefs) {
  auto rank = quality_rank(candidate_file, prefs);
  if (!rank)
    return false;
  if (!current_rank)
    return true;
  return *rank < *current_rank;
}

} // namespace discotheque::downloads
