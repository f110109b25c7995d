#include "actors/gateway/circuit_breaker.hpp"

#include "actors/inspect.hpp"
#include "storage/writes/provider_state.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

namespace discotheque {

namespace {

constexpr int64_t day_ms = 24 * 3600 * 1000;

} // namespace

int64_t circuit_breaker_state::now() const {
  return config.now ? config.now() : now_ms();
}

void circuit_breaker_state::prune() {
  auto cutoff = now() - day_ms;
  while (!errors.empty() && errors.front() < cutoff)
    errors.pop_front();
  status.errors_24h = static_cast<int64_t>(errors.size());
}

namespace {

actor_summary summary_of(
  circuit_breaker_actor::stateful_pointer<circuit_breaker_state> self) {
  auto& st = self->state;
  st.prune();
  const auto& s = st.status;
  nlohmann::json details{
    {"provider", st.config.provider},
    {"state", s.breaker_state},
    {"consecutive_failures", s.consecutive_failures},
    {"failure_threshold", st.config.failure_threshold},
    {"open_for_ms", st.config.open_for.count()},
    {"opened_at", s.opened_at},
    {"last_success_at", s.last_success_at},
    {"errors_24h", s.errors_24h},
    {"trial_in_flight", st.trial_in_flight},
    {"last_error", s.last_error},
  };
  auto line = st.config.provider + ": " + s.breaker_state + ", "
              + std::to_string(s.consecutive_failures)
              + " consecutive failures";
  return inspection::summarize(self, "circuit_breaker", line, details);
}

} // namespace

circuit_breaker_actor::behavior_type circuit_breaker(
  circuit_breaker_actor::stateful_pointer<circuit_breaker_state> self,
  circuit_breaker_config config) {
  auto& st = self->state;
  st.config = std::move(config);
  st.status = st.config.initial;
  st.status.provider = st.config.provider;
  for (auto t : st.config.recent_errors)
    st.errors.push_back(t);
  st.prune();
  if (st.status.breaker_state != "closed") {
    // Restarted while open: keep it open for what is left of its time.
    auto open_ms = std::chrono::milliseconds{
      std::max<int64_t>(0, st.now() - st.status.opened_at)};
    st.status.breaker_state = "open";
    st.opened = self->clock().now() - std::min(open_ms, st.config.open_for);
  }
  auto log = log::get(st.config.provider.empty() ? "breaker"
                                                 : st.config.provider);
  auto persist = [self, log](std::optional<std::string> error) {
    auto& st = self->state;
    if (!st.config.store)
      return;
    auto req = storage::persist_provider_state(st.status);
    if (error)
      req.statements.push_back(
        storage::record_provider_error(st.status.provider, st.now(), *error));
    self->request(st.config.store, caf::infinite, atom::write_v, std::move(req))
      .then([](const write_ack&) {},
            [log](const caf::error& err) {
              log->warn("cannot persist provider state: {}", to_string(err));
            });
  };
  return {
    [self, log, persist](atom::cb_allow) -> bool {
      auto& st = self->state;
      if (st.status.breaker_state == "closed")
        return true;
      if (st.status.breaker_state == "open") {
        if (self->clock().now() - st.opened < st.config.open_for)
          return false;
        st.status.breaker_state = "half_open";
        st.trial_in_flight = false;
        log->info("circuit breaker half-open: one trial call");
        persist(std::nullopt);
      }
      // half-open: exactly one trial call at a time
      if (st.trial_in_flight)
        return false;
      st.trial_in_flight = true;
      return true;
    },
    [self, log, persist](atom::cb_ok) {
      auto& st = self->state;
      bool changed = st.status.breaker_state != "closed"
                     || st.status.consecutive_failures != 0;
      auto now = st.now();
      // Persist last_success_at at most every few seconds, not every call.
      bool stale = now - st.status.last_success_at > 5000;
      st.status.last_success_at = now;
      st.status.consecutive_failures = 0;
      st.trial_in_flight = false;
      if (st.status.breaker_state != "closed") {
        log->info("circuit breaker closed again");
        st.status.breaker_state = "closed";
        st.status.opened_at = 0;
      }
      if (changed || stale)
        persist(std::nullopt);
    },
    [self, log, persist](atom::cb_fail, std::string message) {
      auto& st = self->state;
      st.errors.push_back(st.now());
      st.prune();
      st.status.last_error = message;
      ++st.status.consecutive_failures;
      st.trial_in_flight = false;
      bool trip
        = st.status.breaker_state == "half_open"
          || (st.status.breaker_state == "closed"
              && st.status.consecutive_failures >= st.config.failure_threshold);
      if (trip) {
        st.status.breaker_state = "open";
        st.status.opened_at = st.now();
        st.opened = self->clock().now();
        log->warn("circuit breaker open for {} s after {} consecutive "
                  "failures; last: {}",
                  st.config.open_for.count() / 1000,
                  st.status.consecutive_failures, message);
      }
      persist(message);
    },
    [self](atom::status) -> provider_status {
      auto& st = self->state;
      st.prune();
      auto s = st.status;
      if (s.breaker_state == "open"
          && self->clock().now() - st.opened >= st.config.open_for)
        s.breaker_state = "half_open"; // the next call is the trial
      return s;
    },
    [self](atom::inspect_atom) { return summary_of(self); },
  };
}

} // namespace discotheque
