// The IMAGE POOL: downloads images with at most `limit` transfers at once.
// Each transfer runs in a worker spawned detached (libcurl blocks), so no
// scheduler thread ever waits on the network; the pool itself only queues,
// hands jobs to idle workers and writes each outcome through the store
// before it answers. Workers are kept for the next job; a dead worker fails
// its job and is replaced by the next one needed.
#pragma once

#include "actors/images/fetch.hpp"
#include "messages/interfaces.hpp"

#include <caf/typed_response_promise.hpp>

#include <spdlog/logger.h>

#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

namespace discotheque {

struct image_pool_config {
  /// `<data>/images`; every file is written below it.
  std::filesystem::path root;
  images::fetch_limits limits;
  /// Downloads at once (library.image_download_concurrency).
  int32_t limit = 5;
  /// Where outcomes are written; null: not written (tests).
  store_actor store;
  /// Spawns one worker; empty: image_worker, detached.
  std::function<image_worker_actor(caf::actor_system&)> spawn_worker;
};

struct image_pool_state {
  static inline const char* name = "image-pool";
  struct pending {
    image_job job;
    caf::typed_response_promise<image_outcome> promise;
  };
  image_pool_config cfg;
  std::deque<pending> queue;
  std::vector<image_worker_actor> idle;
  int32_t active = 0;
  /// The most downloads that ran at once (for the status and tests).
  int32_t max_active = 0;
  /// Every worker spawned and not known dead: stopped with the pool.
  std::shared_ptr<std::vector<caf::actor_addr>> workers
    = std::make_shared<std::vector<caf::actor_addr>>();
  std::shared_ptr<spdlog::logger> log;
};

/// The limit a configured or set value stands for: 1..64 (0 or less: 5).
int32_t clamp_image_limit(int64_t n);

struct image_worker_state {
  static inline const char* name = "image-worker";
};

/// One download at a time (blocking): spawn detached.
image_worker_actor::behavior_type
image_worker(image_worker_actor::stateful_pointer<image_worker_state> self,
             std::filesystem::path root, images::fetch_limits limits);

image_pool_actor::behavior_type
image_pool(image_pool_actor::stateful_pointer<image_pool_state> self,
           image_pool_config cfg);

} // namespace discotheque
