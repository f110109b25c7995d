// The RESPONSE CACHE actor: the answers of a metadata provider by request
// URL (SQLite table provider_cache). Reads on its own read-only connection
// (spawn it detached: SQLite blocks), writes through the store. What is
// fresh or stale is the caller's business (it knows the request's kind).
#pragma once

#include "messages/interfaces.hpp"
#include "storage/database.hpp"

#include <filesystem>
#include <memory>

namespace spdlog {
class logger;
}

namespace discotheque {

struct response_cache_config {
  std::filesystem::path db_path;
  store_actor store;
};

struct response_cache_state {
  static inline const char* name = "response-cache";
  response_cache_config config;
  storage::database db;
  std::shared_ptr<spdlog::logger> log;
  int64_t reads = 0;
  int64_t hits = 0;
};

response_cache_actor::behavior_type response_cache(
  response_cache_actor::stateful_pointer<response_cache_state> self,
  response_cache_config config);

} // namespace discotheque
