// The cloud providers of one service: per enabled provider descriptor a rate
// limiter, a circuit breaker, HTTP clients, a token refresher, the gateway
// and the source actor, spawned once at start-up and shared by every task
// that talks to that provider (so concurrent tasks share one rate limit).
//
// The persisted state they start from (provider_state, provider_errors,
// provider_tokens) is read before spawning, on the caller's thread with a
// read-only connection: no actor blocks on SQLite to get it.
#pragma once

#include "actors/sources/providers.hpp"
#include "actors/tasks/task_env.hpp"
#include "messages/interfaces.hpp"
#include "storage/queries/providers.hpp"

#include <caf/actor_control_block.hpp>
#include <caf/actor_system.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

namespace discotheque {

struct provider_actors {
  const provider_descriptor* descriptor = nullptr;
  rate_limiter_actor limiter;
  circuit_breaker_actor breaker;
  std::vector<http_client_actor> clients;
  http_client_actor auth_client;
  token_refresher_actor tokens; ///< null: not authenticated (or no auth)
  provider_gateway_actor gateway;
  source_actor source; ///< null: the provider has no source actor yet
  bool authenticated = false;
};

/// Spawns the actors of `d` from `cfg` (its providers.NAME entry) and the
/// persisted `saved` state (whose settings rows win over the config).
/// `env.detached` chooses how HTTP clients run.
provider_actors spawn_provider(caf::actor_system& sys, const task_env& env,
                               const provider_descriptor& d,
                               const storage::provider_record& saved);

/// Every actor of `p` (limiter, breaker, clients, token refresher, gateway,
/// source), gateway first: what the node supervises as one component.
std::vector<caf::strong_actor_ptr> actors_of(const provider_actors& p);

/// Stops every actor of `p`.
void stop_provider(const provider_actors& p);

/// Owns the actors of every provider; stops them when destroyed (delayed
/// messages such as token ticks would keep them alive otherwise). When the
/// node restarts a provider, the hub holds the new actors from then on:
/// whoever needs a provider's actors asks the hub when it starts its work
/// (a task at the start of each run), so it gets the current ones.
class provider_hub {
public:
  /// Reads the persisted state of every enabled provider in providers()
  /// from env.db_path (blocking: call it from the wiring, not from an
  /// actor), then spawns their actors. A disabled provider gets none.
  static std::shared_ptr<provider_hub> start(caf::actor_system& sys,
                                             const task_env& env);

  explicit provider_hub(std::vector<provider_actors> all);
  provider_hub(caf::actor_system& sys, const task_env& env,
               std::vector<provider_actors> all);
  ~provider_hub();
  provider_hub(const provider_hub&) = delete;
  provider_hub& operator=(const provider_hub&) = delete;

  /// The current actors of provider `name`, or none.
  std::optional<provider_actors> find(std::string_view name) const;

  /// The current actors of every provider.
  std::vector<provider_actors> all() const;

  /// Spawns provider `name`'s actors again from the config and its
  /// persisted state (tokens, breaker, what the settings API stored; a
  /// blocking read: the node that calls it runs detached), makes them the
  /// current ones and answers them; the old ones are stopped. None: no such
  /// provider, the hub was made without a system, or the provider is
  /// disabled now (its old actors are stopped and the hub has none).
  std::optional<provider_actors> respawn(std::string_view name);

private:
  caf::actor_system* sys_ = nullptr;
  /// The environment the actors were spawned from (without the hub itself).
  task_env env_;
  mutable std::mutex mtx_;
  std::vector<provider_actors> all_;
};

} // namespace discotheque
