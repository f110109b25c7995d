// The cloud providers of one service: per provider a rate limiter, a circuit
// breaker, HTTP clients, a token refresher, the gateway and the source actor,
// spawned once (on first use) and shared by every task that talks to that
// provider, so that concurrent tasks share one rate limit.
#pragma once

#include "actors/registry.hpp"
#include "actors/tasks/task_env.hpp"
#include "messages/interfaces.hpp"

#include <caf/actor_system.hpp>

#include <map>
#include <memory>
#include <mutex>

namespace discotheque {

struct cloud_provider {
  std::string name;
  rate_limiter_actor limiter;
  circuit_breaker_actor breaker;
  std::vector<http_client_actor> clients;
  http_client_actor auth_client;
  token_refresher_actor tokens;
  provider_gateway_actor gateway;
  source_actor source;
};

/// Built-in defaults of a provider (SPEC §7 rates, public base URLs).
struct provider_defaults {
  std::string api_base;
  std::string auth_base;
  std::string token_path; ///< appended to auth_base; empty: no OAuth refresh
  double rate_per_second;
};
const provider_defaults* defaults_for(const std::string& provider);

/// A base URL without its trailing slashes (config values may carry them).
std::string trim_slash(std::string s);

/// Lazily spawns and owns the provider actors of one actor system.
class cloud_hub {
public:
  explicit cloud_hub(task_env env);
  ~cloud_hub();
  cloud_hub(const cloud_hub&) = delete;
  cloud_hub& operator=(const cloud_hub&) = delete;

  /// The actors of `name` (spotify, deezer, tidal), spawned on first use.
  const cloud_provider& get(caf::actor_system& sys, const std::string& name);

  const task_env& env() const {
    return env_;
  }

private:
  task_env env_;
  std::mutex mtx_;
  std::map<std::string, cloud_provider> providers_;
};

/// Wires sync_spotify_likes, sync_deezer_favorites, sync_tidal_favorites
/// and sync_playlists in `defs` to their task actors.
void attach_cloud_tasks(std::vector<task_def>& defs, const task_env& env);

} // namespace discotheque
