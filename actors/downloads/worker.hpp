// The DOWNLOAD WORKER: the `download_queue` task (SPEC §6), separate from
// the library manager. A run takes the pending tracks in their order
// (asked for by hand first, then the longest pending) and moves each
// through pending -> downloading -> downloaded | failed, every transition
// through the store with its time and reason; it ends when nothing more can
// move.
//
// Per group of wanted tracks (the wanted tracks of one album together, a
// single track alone): one slskd search (one at a time, within the one
// search budget of the account), polled until complete, its responses
// fetched once; the files gated and ranked (downloads/ranking.hpp), the
// decision stored; each chosen file enqueued (one enqueue at a time) and its
// transfer followed by id with a timer per state. A finished file is
// imported (actors/downloads/importer.hpp); a wrong one is quarantined and
// its (user, file) blocklisted; a failed, stalled or refused transfer moves
// on to the next candidate of the decision; without one the track fails
// (retried after 1 h, 6 h, 24 h, 7 days).
//
// After a restart, tracks left in `downloading` are reconciled with slskd's
// transfer list: finished -> imported, running -> followed, unknown -> back
// to pending (searched again): nothing twice, nothing lost.
//
// Files: worker.cpp (runs, loading, reconciling, the timer, the end),
// search.cpp (searches and decisions), transfer.cpp (enqueues, transfers,
// imports, next candidates).
#pragma once

#include "actors/sources/slskd.hpp"
#include "actors/tasks/task_env.hpp"
#include "actors/tasks/task_run.hpp"
#include "config/config.hpp"
#include "downloads/ranking.hpp"
#include "downloads/search_budget.hpp"
#include "messages/interfaces.hpp"

#include <spdlog/logger.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace discotheque {

struct download_worker_state {
  static inline const char* name = "download_queue";

  /// The search in progress (there is at most one).
  struct search_job {
    std::string id;
    std::string query;
    std::vector<downloads::wanted_track> tracks;
    bool for_album = false;
    int64_t started_at = 0;
    bool in_flight = false; ///< a poll is on the wire
  };

  /// One track's grab: the file it waits for and the candidates left.
  struct grab {
    downloads::wanted_track track;
    downloads::peer_file file;
    /// The decision's other acceptable files, best first.
    std::vector<downloads::candidate> rest;
    std::string transfer_id;
    bool enqueued = false;
    bool importing = false;
    /// Taken over from a previous run: a transfer slskd no longer knows
    /// sends the track back to pending instead of to its next candidate.
    bool reconciled = false;
    slskd::transfer_phase phase = slskd::transfer_phase::requested;
    int64_t phase_since = 0;
    int64_t bytes = 0;
    int64_t progress_at = 0;
    int64_t enqueued_at = 0;
  };

  task_env env;
  slskd::settings sk;
  downloads_config dc;
  downloads::preferences prefs;
  provider_gateway_actor gateway;
  std::shared_ptr<spdlog::logger> log;
  task_run run{"download_queue"};
  /// Kept across runs: the budget is the account's, not one run's.
  downloads::search_budget budget{34, 220'000};
  downloads::blocklist blocked;
  /// Users passed over for the rest of the run (offline, stalled twice).
  std::set<std::string> avoided;
  std::map<std::string, int> stalls;
  /// Groups of wanted tracks waiting for their search.
  std::deque<std::vector<downloads::wanted_track>> groups;
  std::optional<search_job> search;
  /// Grabs waiting for their enqueue (track ids), one enqueue at a time.
  std::deque<int64_t> to_enqueue;
  bool enqueuing = false;
  bool polling = false;
  /// Transfer polls that failed in a row; after max_poll_failures the run
  /// ends and leaves its transfers to the next run's reconciliation.
  int poll_failures = 0;
  std::map<int64_t, grab> grabs;
  int64_t writes_in_flight = 0;
  bool loading = false;
  /// The last load was full: load again when this batch is done.
  bool more = false;
  bool tick_scheduled = false;
  /// A search failed for want of slskd: the rest is left pending.
  bool client_down = false;
  int64_t first_search_ms = -1;
};

using download_worker_ptr
  = download_worker_actor::stateful_pointer<download_worker_state>;

/// The download_queue task. `gateway`: slskd's (null: slskd is not
/// configured, the task skips itself).
download_worker_actor::behavior_type
download_worker(download_worker_ptr self, task_env env,
                provider_gateway_actor gateway);

namespace download_steps {

// worker.cpp
/// Does what can be done now (a search, an enqueue), keeps the timer
/// running while something is followed, and ends the run when nothing can
/// move any more.
void pump(download_worker_ptr self);
/// Sends a write through the store; `then` runs with the ack (not on error:
/// that is noted in the run's errors).
void write(download_worker_ptr self, write_request req,
           std::function<void(const write_ack&)> then = {});
/// One call to slskd: `path` below api_base.
void call(download_worker_ptr self, std::string method, std::string path,
          std::string body, std::function<void(const http_reply&)> ok,
          std::function<void(const caf::error&)> failed);
/// A random search id (slskd wants a GUID).
std::string new_search_id();

// search.cpp
/// Starts the next group's search when one may start.
void start_search(download_worker_ptr self);
/// Polls the running search (and decides once it is complete).
void poll_search(download_worker_ptr self);

// transfer.cpp
/// Starts the next enqueue when none is on the wire.
void start_enqueue(download_worker_ptr self);
/// Polls slskd's transfer list and moves every grab by its state.
void poll_transfers(download_worker_ptr self);
/// The grab of `track_id` lost its file for `reason`: the next candidate,
/// or the track fails.
void next_candidate(download_worker_ptr self, int64_t track_id,
                    const std::string& reason);

} // namespace download_steps

} // namespace discotheque
