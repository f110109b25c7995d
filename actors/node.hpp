// The NODE: supervises the infrastructure actors of one service (the store,
// the dedup store, the reader, the api actor, the provider actors), as
// tenzir/vast's node does. It monitors each of them:
// - a component with a `restart` factory (the reader) is spawned again when
//   it dies, at most `max_restarts` times per `restart_window`; whoever uses
//   it is told the new handle. A provider is one component of several actors
//   (`members`): when one dies, the others are stopped and all of them are
//   spawned again (`restart_group`), within the same limit;
// - a component without one (the store: nothing may run on without the only
//   writer; the dedup store and the api actor, whose handles others keep)
//   is fatal: the node reports it once through `on_fatal`, which shuts the
//   service down in order and makes it exit non-zero.
// A component that is stopped on purpose (an ordered shutdown) is demonitored
// first by the node's own exit handler, so only real failures count.
// A restart may read the database (a provider's persisted state): the node
// is spawned detached in production.
#pragma once

#include "messages/interfaces.hpp"

#include <caf/actor_addr.hpp>
#include <caf/actor_cast.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/timespan.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace discotheque {

/// One supervised actor.
struct node_component {
  /// Its name in logs and in the node's status ("store", "reader" ...).
  std::string name;
  /// The running actor.
  caf::strong_actor_ptr handle;
  /// Spawns a replacement; empty: the component's death is fatal.
  std::function<caf::strong_actor_ptr()> restart;
  /// Tells its users the replacement's handle (e.g. the api its new reader).
  std::function<void(const caf::strong_actor_ptr&)> replaced;
  /// Actors that live and die with `handle` (a provider's source, breaker,
  /// limiter, clients ...): the death of any of them is the component's.
  std::vector<caf::strong_actor_ptr> members;
  /// For a component with members: spawns the whole group again (after the
  /// node stopped the survivors), the new `handle` first. For a provider:
  /// provider_hub::respawn, which makes the hub hand out the new actors.
  std::function<std::vector<caf::strong_actor_ptr>()> restart_group;

  bool restartable() const {
    return static_cast<bool>(restart) || static_cast<bool>(restart_group);
  }
};

struct node_config {
  std::vector<node_component> components;
  /// Called once, with a one-line reason, when a component without restart
  /// dies or one has died too often.
  std::function<void(const std::string&)> on_fatal;
  int max_restarts = 5;
  std::chrono::seconds restart_window{60};
  /// For (respawn, provider) of a provider without a component (it had no
  /// actors: disabled or without credentials at start-up): its component
  /// ("provider NAME", a restart_group, no handle yet); none: unknown.
  std::function<std::optional<node_component>(const std::string&)>
    provider_component;
};

struct node_state {
  static inline const char* name = "node";

  struct entry {
    node_component component;
    int64_t restarts = 0;
    /// When the recent restarts happened (for the restart limit).
    std::deque<caf::actor_clock::time_point> recent;
  };

  std::vector<entry> entries;
  std::function<void(const std::string&)> on_fatal;
  int max_restarts = 5;
  std::chrono::seconds restart_window{60};
  std::function<std::optional<node_component>(const std::string&)>
    provider_component;
  bool fatal = false;
  std::shared_ptr<spdlog::logger> log;
};

node_actor::behavior_type node(node_actor::stateful_pointer<node_state> self,
                               node_config cfg);

} // namespace discotheque
