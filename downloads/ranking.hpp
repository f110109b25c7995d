// Ranking the files that passed the gates, and the decision record every
// grab stores: the query, the candidates with their score breakdowns, the
// chosen one, the runner-up and the margin. One wanted track takes one file
// (never the album); several wanted tracks of one album prefer one folder of
// one user that holds all of them (only the wanted files of it are taken).
#pragma once

#include "downloads/candidate.hpp"

#include <map>
#include <string>
#include <vector>

namespace discotheque::downloads {

/// What a candidate's score is made of (each part's weight is its maximum).
struct score_breakdown {
  double format = 0; ///< 40: the preference order of downloads.formats
  double name = 0;   ///< 20: file name similarity to "NN title"
  double slot = 0;   ///< 10: a free upload slot
  double queue = 0;  ///< 5: a short peer queue
  double speed = 0;  ///< 10: upload speed (1 MB/s and more: all of it)
  double shared = 0; ///< 15: how many peers share an equivalent file
  double total() const {
    return format + name + slot + queue + speed + shared;
  }
};

struct candidate {
  peer_file file;
  score_breakdown score;
  /// Why it can never be taken; empty: it can.
  std::string rejected;
};

/// Every file offered for the track, gated and scored, best first (the
/// rejected ones after the others, in the order offered). Blocklisted pairs
/// and files of `avoided_users` are rejected before any gate.
std::vector<candidate>
rank_track(const std::vector<peer_file>& offered, const wanted_track& t,
           const preferences& prefs, const blocklist& blocked,
           const std::set<std::string>& avoided_users = {});

/// The choice for one track, with what it was chosen from.
struct decision {
  int64_t track_id = 0;
  std::string query;
  std::vector<candidate> candidates; ///< best first, as rank_track
  /// Index into candidates; -1: none passed the gates.
  int chosen = -1;
  int runner_up = -1;
  double margin = 0; ///< chosen's total - runner-up's (0 without one)
  /// "album folder" when taken from an album folder, else "track".
  std::string mode = "track";

  const candidate* choice() const {
    return chosen >= 0 ? &candidates[static_cast<size_t>(chosen)] : nullptr;
  }
};

/// The best acceptable file for one wanted track.
decision decide_track(const std::vector<peer_file>& offered,
                      const wanted_track& t, const preferences& prefs,
                      const blocklist& blocked, std::string query,
                      const std::set<std::string>& avoided_users = {});

/// Several wanted tracks of one album: a decision per track (in the order
/// given). When one folder of one user holds an acceptable file for every
/// wanted track, all are taken from the best such folder (mean score);
/// otherwise each track gets its own best file.
std::vector<decision>
decide_album(const std::vector<peer_file>& offered,
             const std::vector<wanted_track>& tracks, const preferences& prefs,
             const blocklist& blocked, const std::string& query,
             const std::set<std::string>& avoided_users = {});

/// Whether `candidate_file` is strictly better than what the library has
/// (`current_rank`: the quality_rank of the file on disk; nullopt: below
/// every preference). A track at the first preference is never upgraded.
bool is_upgrade(const std::optional<size_t>& current_rank,
                const peer_file& candidate_file, const preferences& prefs);

} // namespace discotheque::downloads
