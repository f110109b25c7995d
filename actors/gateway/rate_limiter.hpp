// The RATE LIMITER actor: one per provider, shared by every task that talks
// to it. Permits are spaced by at least `interval` since the previous permit
// was granted, i.e. since the previous request started, so concurrent tasks
// together never exceed the provider's rate.
#pragma once

#include "messages/interfaces.hpp"

#include <caf/typed_response_promise.hpp>

#include <chrono>
#include <map>

namespace discotheque {

struct rate_limiter_config {
  std::string provider;
  /// Requests per second; 0 or less = unlimited.
  double rate_per_second = 10;
  /// Spacing is stretched by this factor so that network jitter between us
  /// and the provider cannot push two requests into one window.
  double safety = 1.05;

  std::chrono::nanoseconds interval() const;
};

struct rate_limiter_state {
  static inline const char* name = "rate-limiter";
  rate_limiter_config config;
  /// The earliest time the next permit may be granted.
  caf::actor_clock::time_point next_slot{};
  uint64_t next_id = 1;
  struct waiting {
    caf::typed_response_promise<int64_t> promise;
    caf::actor_clock::time_point asked;
  };
  std::map<uint64_t, waiting> waiters;
  int64_t granted = 0;
};

rate_limiter_actor::behavior_type
rate_limiter(rate_limiter_actor::stateful_pointer<rate_limiter_state> self,
             rate_limiter_config config);

} // namespace discotheque
