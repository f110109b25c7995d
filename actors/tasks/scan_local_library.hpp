// The scan_local_library task (SPEC §3): a walker finds new and changed files,
// a pool of tag readers (one per core) reads them, and the results go in
// batches to the dedup store. Memory stays bounded by credit: at most a few
// chunks per reader and two merge batches are in flight at any time. Between
// reading and merging, each folder's tracks wait until the folder is read
// completely, so that the folder can lend its album to files without one
// (scan/folder.hpp).
#pragma once

#include "actors/tasks/task_env.hpp"
#include "actors/tasks/task_run.hpp"
#include "messages/interfaces.hpp"
#include "messages/scan.hpp"
#include "scan/folder.hpp"

#include <caf/typed_response_promise.hpp>

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace discotheque {

// walker_actor and tag_reader_actor: messages/interfaces.hpp.
// Both take the scan's logger: it is also what keeps CAF 0.17 from
// dereferencing an empty argument tuple when it spawns them (UBSan).
walker_actor::behavior_type walker(walker_actor::pointer self,
                                   std::shared_ptr<spdlog::logger> log);
/// `max_file_ms`: how long one file may take before it is given up.
tag_reader_actor::behavior_type tag_reader(tag_reader_actor::pointer self,
                                           std::shared_ptr<spdlog::logger> log,
                                           int64_t max_file_ms);

struct scan_options {
  size_t readers = 0;      ///< 0 = one per core
  size_t chunk_size = 16;  ///< files per reader request
  size_t batch_size = 500; ///< tracks per merge batch
  size_t max_merges = 4;   ///< merge batches in flight
};

struct scan_state {
  static inline const char* name = "scan_local_library";

  task_env env;
  scan_options options;
  std::shared_ptr<spdlog::logger> log;

  // The current run (run.running() is false between runs).
  task_run run{"scan_local_library"};
  std::chrono::steady_clock::time_point started, last_log;
  walker_actor walker;
  std::vector<tag_reader_actor> readers;
  walk_result walk;
  int64_t files_to_read = 0; ///< the walk's count (its list empties as it goes)
  size_t next_file = 0;      ///< files handed to readers so far
  size_t chunks_in_flight = 0;
  size_t merges_in_flight = 0;
  size_t merges_done = 0; ///< answered merge batches (memory is trimmed by)
  size_t writes_in_flight = 0;
  std::vector<track_dto> pending;
  /// Read tracks wait here until their folder is complete (the folder rule).
  scan::folder_gate folders;
  std::vector<scan_error_dto> errors; ///< this run's (for stats and cleanup)
  std::string failure;                ///< first fatal problem of the run

  // Counters of the current (or last) run.
  int64_t files_seen = 0, files_unchanged = 0, files_opened = 0, files_read = 0,
          tracks_added = 0, tracks_updated = 0, files_gone = 0,
          folders_seen = 0, folders_skipped = 0;

  std::string stats_json(bool with_errors) const;
};

task_actor::behavior_type
scan_local_library(task_actor::stateful_pointer<scan_state> self, task_env env);

/// The same with tuning knobs (tests use small batches).
task_actor::behavior_type
scan_local_library_with(task_actor::stateful_pointer<scan_state> self,
                        task_env env, scan_options options);

} // namespace discotheque
