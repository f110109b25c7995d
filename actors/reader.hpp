// The READER actor: the API's read side. It owns a read-only SQLite
// connection (WAL lets it read while the store writes), runs the endpoint
// modules of http/api/ and computes the status snapshot (totals, providers)
// as a typed value (messages/status.hpp); http/api/status.cpp renders it.
#pragma once

#include "config/config.hpp"
#include "http/api/route.hpp"
#include "messages/interfaces.hpp"
#include "storage/database.hpp"

#include <spdlog/logger.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace discotheque {

struct reader_config {
  std::filesystem::path db_path;
  store_actor store;
  /// Provider settings, for "enabled" and "authenticated" in the snapshot.
  std::map<std::string, provider_config> providers;
  /// The read side's routes (http/api/*.cpp, one file per resource).
  http::reader_router routes;
};

struct reader_state {
  static inline const char* name = "reader";
  reader_config config;
  storage::database db;
  std::shared_ptr<spdlog::logger> log;
};

/// Library totals and provider states (SPEC §8) from a read connection.
library_snapshot
status_snapshot(storage::database& db,
                const std::map<std::string, provider_config>& p);

/// The settings API's snapshot (storage::read_settings) with the provider
/// credentials taken out of `values`: `credentials_set` names the credential
/// keys (providers.NAME.FIELD) that have a value, stored through the API, a
/// provider token in the database or the config file `p`. A provider's
/// providers.NAME.enabled without a row is the config file's.
settings_snapshot
settings_snapshot_of(storage::database& db,
                     const std::map<std::string, provider_config>& p);

/// Every route the reader answers.
http::reader_router default_reader_routes();

reader_actor::behavior_type
reader(reader_actor::stateful_pointer<reader_state> self, reader_config cfg);

} // namespace discotheque
