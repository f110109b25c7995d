// The API actor: the bridge from the HTTP server to the actors. Each request
// arrives as an http_exchange; the actor authenticates it and dispatches it
// through its route table to a handler of http/api/ (status, tasks), which
// asks whoever knows the answer (with a timeout) and replies through the
// exchange's responder; the rest of /api/library goes to the reader. It
// keeps the status snapshot fresh. It never blocks.
#pragma once

#include "http/api/context.hpp"
#include "messages/interfaces.hpp"

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
  /// GET /metrics also accepts this (config metrics.token); empty: no.
  std::string metrics_token;
  /// When the service started (epoch ms), for uptime.
  int64_t started_at = 0;
  /// The named live actors that GET /api/system/actors lists (may be null).
  std::shared_ptr<inspection::directory> directory;
  /// How long the API waits for another actor before answering 504.
  std::chrono::milliseconds timeout{5000};
  /// How often the cached library snapshot (totals, providers) is renewed.
  std::chrono::milliseconds snapshot_interval{2000};
};

struct api_state {
  static inline const char* name = "api";
  std::string api_key;
  std::string metrics_token;
  std::chrono::milliseconds snapshot_interval{2000};
  /// What the handlers of http/api/ need (the actors they ask, the cached
  /// snapshot and status response).
  http::api_context ctx;
  std::shared_ptr<spdlog::logger> log;
};

api_actor::behavior_type api(api_actor::stateful_pointer<api_state> self,
                             api_config config);

/// Whether `given` equals `expected`, in time independent of where they
/// differ (so the key cannot be guessed byte by byte).
bool api_key_matches(const std::string& given, const std::string& expected);

} // namespace discotheque
