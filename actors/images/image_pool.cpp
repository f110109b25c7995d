#include "actors/images/image_pool.hpp"

#include "messages/error.hpp"
#include "storage/writes/images.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <tuple>

namespace discotheque {

int32_t clamp_image_limit(int64_t n) {
  if (n <= 0)
    return 5;
  return static_cast<int32_t>(std::min<int64_t>(n, 64));
}

image_worker_actor::behavior_type
image_worker(image_worker_actor::stateful_pointer<image_worker_state>,
             std::filesystem::path root, images::fetch_limits limits) {
  return {
    [root, limits](atom::img_get, const image_job& job) -> image_outcome {
      return images::run_job(job, root, limits);
    },
  };
}

namespace {

using self_ptr = image_pool_actor::stateful_pointer<image_pool_state>;

void pump(self_ptr self);

image_worker_actor take_worker(self_ptr self) {
  auto& st = self->state;
  if (!st.idle.empty()) {
    auto w = st.idle.back();
    st.idle.pop_back();
    return w;
  }
  image_worker_actor w;
  if (st.cfg.spawn_worker)
    w = st.cfg.spawn_worker(self->system());
  else
    w = self->system().spawn<caf::detached>(image_worker, st.cfg.root,
                                            st.cfg.limits);
  st.workers->push_back(w.address());
  return w;
}

void forget_worker(self_ptr self, const image_worker_actor& w) {
  auto& v = *self->state.workers;
  v.erase(std::remove(v.begin(), v.end(), w.address()), v.end());
}

/// Writes the outcome, then answers; the next job starts at once.
void deliver(self_ptr self, image_outcome out,
             caf::typed_response_promise<image_outcome> promise) {
  auto& st = self->state;
  if (!st.cfg.store) {
    promise.deliver(std::move(out));
    return;
  }
  auto req = storage::record_image_outcome(out, now_ms());
  self
    ->request(st.cfg.store, std::chrono::minutes(1), atom::write_v,
              std::move(req))
    .then([out, promise](
            const write_ack&) mutable { promise.deliver(std::move(out)); },
          [self, out, promise](const caf::error& err) mutable {
            self->state.log->warn("cannot record the image of {} {}: {}",
                                  out.entity_type, out.entity_id, render(err));
            promise.deliver(err);
          });
}

void start(self_ptr self, image_pool_state::pending p) {
  auto& st = self->state;
  auto w = take_worker(self);
  ++st.active;
  st.max_active = std::max(st.max_active, st.active);
  auto job = p.job;
  // A worker that dies leaves no answer in CAF 0.17: the deadline (the
  // transfer's own limits plus a margin) fails its job instead.
  auto deadline = std::chrono::milliseconds(
    st.cfg.limits.connect_timeout_ms + st.cfg.limits.timeout_ms + 30'000);
  self->request(w, deadline, atom::img_get_v, std::move(job))
    .then(
      [self, w, promise = p.promise](image_outcome out) mutable {
        auto& st = self->state;
        --st.active;
        if (static_cast<int32_t>(st.idle.size()) + st.active < st.cfg.limit) {
          st.idle.push_back(w);
        } else {
          forget_worker(self, w);
          caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
        }
        deliver(self, std::move(out), std::move(promise));
        pump(self);
      },
      [self, w, p](const caf::error& err) mutable {
        auto& st = self->state;
        --st.active;
        forget_worker(self, w);
        image_outcome out;
        out.entity_type = p.job.entity_type;
        out.entity_id = p.job.entity_id;
        out.state = "failed";
        out.error = "download worker failed: " + render(err);
        deliver(self, std::move(out), std::move(p.promise));
        pump(self);
      });
}

void pump(self_ptr self) {
  auto& st = self->state;
  while (st.active < st.cfg.limit && !st.queue.empty()) {
    auto p = std::move(st.queue.front());
    st.queue.pop_front();
    start(self, std::move(p));
  }
}

} // namespace

image_pool_actor::behavior_type
image_pool(image_pool_actor::stateful_pointer<image_pool_state> self,
           image_pool_config cfg) {
  cfg.limit = clamp_image_limit(cfg.limit);
  if (!cfg.limits.cancel)
    cfg.limits.cancel = std::make_shared<std::atomic<bool>>(false);
  self->state.cfg = std::move(cfg);
  self->state.log = log::get("images");
  self->attach_functor(
    [workers = self->state.workers, cancel = self->state.cfg.limits.cancel] {
      cancel->store(true); // running transfers end now
      for (const auto& w : *workers)
        caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
    });
  return {
    [self](atom::img_get,
           image_job& job) -> caf::typed_response_promise<image_outcome> {
      auto& st = self->state;
      auto promise = self->make_response_promise<image_outcome>();
      st.queue.push_back({std::move(job), promise});
      pump(self);
      return promise;
    },
    [self](atom::img_limit, int32_t n) -> int32_t {
      auto& st = self->state;
      st.cfg.limit = clamp_image_limit(n);
      // Idle workers over the new limit are not needed any more.
      while (!st.idle.empty()
             && static_cast<int32_t>(st.idle.size()) + st.active
                  > st.cfg.limit) {
        auto w = st.idle.back();
        st.idle.pop_back();
        forget_worker(self, w);
        caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
      }
      pump(self);
      return st.cfg.limit;
    },
    [self](atom::img_stats) -> std::tuple<int32_t, int32_t, int32_t, int32_t> {
      auto& st = self->state;
      return {st.cfg.limit, st.active, static_cast<int32_t>(st.queue.size()),
              st.max_active};
    },
  };
}

} // namespace discotheque
