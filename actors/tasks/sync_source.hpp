// The generic SYNC task (every provider task of the descriptors in
// actors/sources/, e.g. sync_spotify_likes): one actor bound to one source
// actor. Pages through the source's followed artists (and, where the source
// has them, their albums and those albums' tracks), saved albums and liked
// tracks, hands every page to the dedup store as an ingest_batch with the claim
// reason, and reconciles each reason whose listing came through complete (so
// something no longer liked goes back to discovered, SPEC §4).
//
// A list that could not be read completely (a page failed after its retries,
// an item could not be mapped, a merge failed) is NOT reconciled: a partial
// listing must never release ownership.
#pragma once

#include "actors/tasks/task_env.hpp"
#include "actors/tasks/task_run.hpp"
#include "messages/interfaces.hpp"

#include <caf/typed_response_promise.hpp>

#include <deque>
#include <map>
#include <set>

namespace discotheque {

struct sync_source_config {
  task_env env;
  std::string task;   ///< e.g. sync_spotify_likes
  std::string source; ///< the provider (descriptor name)
  source_actor src;
  /// The lists to read, in order: followed, saved, liked.
  std::vector<std::string> lists{"followed", "saved", "liked"};
  /// Also read the albums (and their tracks) of followed artists.
  bool expand_followed = true;
  /// Pages handed to the dedup store but not yet acknowledged. Enough that
  /// the store commits several pages per transaction (bench/sync: 4 gave
  /// ~2 pages per commit and 20 % more CPU per track than 16).
  size_t max_merges_in_flight = 16;
  /// Page requests at once (the provider's rate limiter still spaces them).
  size_t max_pages_in_flight = 4;
};

struct sync_source_state {
  static inline const char* name = "sync_source";

  struct job {
    page_request req;
    std::string reason;
    /// Follow the page's `next` (not for sibling pages fetched in parallel).
    bool follow = true;
  };

  sync_source_config config;
  /// The current run: running flag, promise, counters, listed errors.
  task_run run;
  bool auto_queue = false;
  std::deque<job> jobs;
  size_t pages_in_flight = 0;
  size_t merges_in_flight = 0;
  /// reasons whose listing is incomplete (never reconciled this run)
  std::set<std::string> incomplete;
  bool aborted = false;
  std::string abort_error;
  bool reconciling = false;

  /// Clears what the last run left (the run's own bookkeeping is in `run`).
  void reset();
  std::string progress_json() const;
};

task_actor::behavior_type
sync_source(task_actor::stateful_pointer<sync_source_state> self,
            sync_source_config config);

/// Reads `library.auto_queue_downloads` (false when unset or unreadable).
bool read_auto_queue(const std::filesystem::path& db_path);

} // namespace discotheque
