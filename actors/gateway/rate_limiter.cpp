#include "actors/gateway/rate_limiter.hpp"

#include "actors/inspect.hpp"
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

namespace discotheque {

std::chrono::nanoseconds rate_limiter_config::interval() const {
  if (rate_per_second <= 0)
    return std::chrono::nanoseconds{0};
  return std::chrono::nanoseconds{
    static_cast<int64_t>(1e9 * safety / rate_per_second)};
}

namespace {

actor_summary
summary_of(rate_limiter_actor::stateful_pointer<rate_limiter_state> self) {
  const auto& st = self->state;
  auto now = self->clock().now();
  auto next_ms = st.next_slot > now
                   ? std::chrono::duration_cast<std::chrono::milliseconds>(
                       st.next_slot - now)
                       .count()
                   : 0;
  nlohmann::json details{
    {"provider", st.config.provider},
    {"rate_per_second", st.config.rate_per_second},
    {"interval_ms",
     std::chrono::duration<double, std::milli>(st.config.interval()).count()},
    {"granted", st.granted},
    {"waiting", st.waiters.size()},
    {"next_slot_in_ms", next_ms},
  };
  auto line = st.config.provider + ": " + std::to_string(st.granted)
              + " granted, " + std::to_string(st.waiters.size()) + " waiting";
  return inspection::summarize(self, "rate_limiter", line, details);
}

} // namespace

rate_limiter_actor::behavior_type
rate_limiter(rate_limiter_actor::stateful_pointer<rate_limiter_state> self,
             rate_limiter_config config) {
  self->state.config = std::move(config);
  return {
    [self](atom::rl_permit) -> caf::result<int64_t> {
      auto& st = self->state;
      auto now = self->clock().now();
      auto slot = std::max(now, st.next_slot);
      st.next_slot = slot + st.config.interval();
      ++st.granted;
      if (slot <= now)
        return int64_t{0};
      auto id = st.next_id++;
      auto rp = self->make_response_promise<int64_t>();
      st.waiters.emplace(id, rate_limiter_state::waiting{rp, now});
      self->delayed_send(self, slot - now, atom::rl_grant_v, id);
      return rp;
    },
    [self](atom::rl_grant, uint64_t id) {
      auto& st = self->state;
      auto it = st.waiters.find(id);
      if (it == st.waiters.end())
        return;
      auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
                      self->clock().now() - it->second.asked)
                      .count();
      it->second.promise.deliver(static_cast<int64_t>(waited));
      st.waiters.erase(it);
    },
    [self](atom::inspect_atom) { return summary_of(self); },
  };
}

} // namespace discotheque
