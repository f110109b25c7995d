// The STORE actor: the only writer of the SQLite database. It collects the
// write requests that arrive while it is busy into one transaction, so that a
// scan of 100,000 files is a few dozen transactions, not 100,000.
#pragma once

#include "messages/interfaces.hpp"
#include "storage/database.hpp"
#include "support/histogram.hpp"

#include <caf/typed_response_promise.hpp>

#include <spdlog/logger.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace discotheque {

struct store_config {
  /// The database file; created and migrated if needed.
  std::filesystem::path db_path;
  /// At most this many write requests share one transaction.
  size_t max_batch = 4096;
  /// How often a failed transaction is retried, and how long to wait between.
  int max_retries = 3;
  std::chrono::milliseconds retry_delay{1000};
  /// How long SQLite waits for a lock before reporting SQLITE_BUSY.
  std::chrono::milliseconds busy_timeout{5000};
};

struct store_state {
  static inline const char* name = "store";

  struct pending {
    write_request request;
    caf::typed_response_promise<write_ack> promise;
    /// Set when this request failed on its own (e.g. a constraint).
    caf::error failure;
    write_ack ack;
  };

  store_config config;
  storage::database db;
  /// Prepared statements by SQL text: the same few statements run over and
  /// over, so preparing them once matters.
  std::unordered_map<std::string, storage::statement> statements;
  std::vector<pending> batch;
  bool flush_scheduled = false;
  store_stats stats;
  /// For inspection: the last transaction's requests and time to commit.
  size_t last_batch = 0;
  int64_t last_commit_us = 0;
  int64_t max_commit_us = 0;
  int64_t total_commit_us = 0;
  /// Commit latency (us) and writes per transaction, for GET /metrics.
  histogram commit_hist{
    {100, 500, 1000, 5000, 10000, 50000, 100000, 500000, 1000000, 5000000}};
  histogram writes_hist{{1, 2, 5, 10, 50, 100, 500, 1000}};
  std::shared_ptr<spdlog::logger> log;

  /// Runs the collected batch in one transaction and answers every request.
  void commit_batch();

private:
  void run_request(pending& p);
  bool try_commit();
};

/// Opens the database (migrating it), then serves writes. Spawn it detached
/// in production: every call into SQLite blocks.
store_actor::behavior_type
store(store_actor::stateful_pointer<store_state> self, store_config config);

} // namespace discotheque
