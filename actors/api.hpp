// The API actor: the bridge from the HTTP server to the actors. Each request
// arrives as an http_exchange; the actor routes it, asks whoever knows the
// answer (with a timeout) and replies through the exchange's responder.
#pragma once

#include "messages/interfaces.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <string>

namespace discotheque {

struct api_config {
  store_actor store;
  /// When the service started (epoch ms), for uptime.
  int64_t started_at = 0;
  /// How long the API waits for another actor before answering 504.
  std::chrono::milliseconds timeout{5000};
};

struct api_state {
  static inline const char* name = "api";
  api_config config;
  std::shared_ptr<spdlog::logger> log;
};

api_actor::behavior_type api(api_actor::stateful_pointer<api_state> self,
                             api_config config);

/// A JSON response with the given status.
http::response json_response(int status, const nlohmann::json& body);
/// A JSON error response: {"error": code, "message": message}.
http::response error_response(int status, const std::string& code,
                              const std::string& message);

} // namespace discotheque
