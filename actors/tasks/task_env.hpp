// What every task actor may use: the configuration and the shared actors.
// The supervisor's registry spawns each task actor with one of these.
#pragma once

#include "config/config.hpp"
#include "messages/interfaces.hpp"

#include <filesystem>
#include <memory>

namespace discotheque {

class provider_hub;

struct task_env {
  /// The whole service configuration (music_dirs, data_dir, providers ...).
  config cfg;
  /// The database file, for read-only connections (writes go to `store`).
  std::filesystem::path db_path;
  store_actor store;
  dedup_store_actor dedup;
  /// Spawn blocking helpers detached (production) or scheduled (tests with
  /// the deterministic coordinator, where detached actors would escape it).
  bool detached = true;
  /// The cloud providers' actors, spawned at start-up by the wiring
  /// (provider_hub::start); null: no providers (their tasks are skipped).
  std::shared_ptr<const provider_hub> providers;
  /// The image pool (actors/images/), spawned by the wiring; null: none
  /// (enrich_images then finds URLs but downloads nothing).
  image_pool_actor images;
};

} // namespace discotheque
