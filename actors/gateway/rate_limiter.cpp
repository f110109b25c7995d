#include "actors/gateway/rate_limiter.hpp"

#include <caf/typed_event_based_actor.hpp>

namespace discotheque {

std::chrono::nanoseconds rate_limiter_config::interval() const {
  if (rate_per_second <= 0)
    return std::chrono::nanoseconds{0};
  return std::chrono::nanoseconds{
    static_cast<int64_t>(1e9 * safety / rate_per_second)};
}

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
  };
}

} // namespace discotheque
