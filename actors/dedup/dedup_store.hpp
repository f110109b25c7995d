// The DEDUP STORE actor: the single place where incoming artists, albums and
// tracks (local scan, cloud providers) are matched against the library and
// merged (SPEC §5). It keeps every matching key in memory (identity_index),
// warmed from a read-only connection at its first batch, allocates row ids
// itself (it is the only inserter of entities) and turns each batch into ONE
// write_request (merge). Reconcile releases what a run did not renew.
#pragma once

#include "actors/dedup/identity_index.hpp"
#include "messages/interfaces.hpp"
#include "storage/database.hpp"
#include "storage/writes/library.hpp"

#include <spdlog/logger.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace discotheque {

struct dedup_config {
  /// The database file, for the read-only warm-up and reconcile queries.
  std::filesystem::path db_path;
  /// Where every write goes.
  store_actor store;
  /// The providers whose ids identify entities, in the order they are
  /// matched by; each has an id column `<name>_id` in the schema.
  std::vector<std::string> providers;
};

struct dedup_state {
  static inline const char* name = "dedup-store";

  dedup_config config;
  std::shared_ptr<spdlog::logger> log;
  /// Both made at the first batch, once the provider columns are checked
  /// against the schema.
  std::optional<dedup::identity_index> index;
  std::optional<storage::library_writes> writes;
  bool warmed = false;
  /// For GET /metrics: batches merged, rows created and matched (merged).
  int64_t batches = 0;
  int64_t rows_created = 0;
  int64_t rows_merged = 0;
  /// Writes sent to the store and not answered yet. An exit waits for them:
  /// each one's handler holds the merge's response promise, which holds this
  /// actor, so quitting before the answers would leave the (detached) actor
  /// alive forever and the actor system's teardown waiting for its thread.
  int writes_in_flight = 0;
  /// Set by an exit while writes are in flight: quit with it after the last.
  std::optional<caf::error> stopping;
  /// The warm-up's read-only connection, kept for resettle().
  storage::database reads;
  /// The last ownership_changes id the indexes reflect.
  int64_t changes_seen = 0;

  /// (Re)loads every index from the database.
  void warm();
  /// After a user action (own, unown, ignore, unignore through the API, not
  /// through this actor), reloads which artists and albums are owned or
  /// ignored: a stale "owned" flag would skip the write that re-owns a row
  /// a sync claims again after an unown.
  void resettle();
};

/// Spawn it detached in production: warm-up (at the first batch) and
/// reconcile read SQLite.
dedup_store_actor::behavior_type
dedup_store(dedup_store_actor::stateful_pointer<dedup_state> self,
            dedup_config config);

} // namespace discotheque
