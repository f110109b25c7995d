// The API actor: the bridge from the HTTP server to the actors. Each request
// arrives as an http_exchange; the actor authenticates it, routes it, asks
// whoever knows the answer (with a timeout) and replies through the
// exchange's responder. It never blocks: reads go to the reader actor.
#pragma once

#include "messages/interfaces.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <string>

namespace discotheque {

struct api_config {
  supervisor_actor supervisor;
  reader_actor reader;
  /// Required as X-Api-Key header or apikey query parameter on /api/ (all
  /// but GET /api/health).
  std::string api_key;
  /// When the service started (epoch ms), for uptime.
  int64_t started_at = 0;
  /// How long the API waits for another actor before answering 504.
  std::chrono::milliseconds timeout{5000};
  /// How often the cached library snapshot (totals, providers) is renewed.
  std::chrono::milliseconds snapshot_interval{2000};
};

struct api_state {
  static inline const char* name = "api";
  api_config config;
  /// The latest status snapshot from the reader (JSON object), so that the
  /// status endpoint never waits for a database query.
  nlohmann::json snapshot;
  int64_t snapshot_version = 0;
  /// The last status response and what it was made from: with the same
  /// supervisor version, snapshot and uptime second it is sent again as is.
  /// (The one status cache: the supervisor only bumps its version.)
  struct {
    int64_t supervisor_version = -1;
    int64_t snapshot_version = -1;
    int64_t uptime_s = -1;
    std::string body;
  } status_cache;
  std::shared_ptr<spdlog::logger> log;
};

api_actor::behavior_type api(api_actor::stateful_pointer<api_state> self,
                             api_config config);

/// Whether `given` equals `expected`, in time independent of where they
/// differ (so the key cannot be guessed byte by byte).
bool api_key_matches(const std::string& given, const std::string& expected);

} // namespace discotheque
