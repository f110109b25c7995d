// The CIRCUIT BREAKER actor: one per provider. Closed -> open after
// `failure_threshold` consecutive failures; open for `open_for`, then
// half-open: exactly one trial call; its success closes the breaker, its
// failure opens it again. Every change and every failure is persisted
// (provider_state, provider_errors) through the store actor, so the status
// API and a restarted service see it.
#pragma once

#include "messages/interfaces.hpp"

#include <chrono>
#include <deque>
#include <functional>
#include <optional>

namespace discotheque {

struct circuit_breaker_config {
  std::string provider;
  int failure_threshold = 5;
  std::chrono::milliseconds open_for{5 * 60 * 1000};
  /// Where state and errors are persisted; may be null (tests).
  store_actor store;
  /// The wall clock (epoch ms) for persisted times; injectable for tests.
  std::function<int64_t()> now;
  /// State loaded from provider_state / provider_errors at start-up.
  provider_status initial;
  std::vector<int64_t> recent_errors; ///< epoch ms, last 24 h
};

struct circuit_breaker_state {
  static inline const char* name = "circuit-breaker";
  circuit_breaker_config config;
  provider_status status;
  /// When the breaker opened, on the actor clock (drives half-open).
  caf::actor_clock::time_point opened{};
  bool trial_in_flight = false;
  std::deque<int64_t> errors; ///< epoch ms of recent failures

  int64_t now() const;
  void prune();
};

circuit_breaker_actor::behavior_type circuit_breaker(
  circuit_breaker_actor::stateful_pointer<circuit_breaker_state> self,
  circuit_breaker_config config);

} // namespace discotheque
