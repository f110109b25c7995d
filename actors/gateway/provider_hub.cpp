#include "actors/gateway/provider_hub.hpp"

#include "actors/gateway/circuit_breaker.hpp"
#include "actors/gateway/provider_gateway.hpp"
#include "actors/gateway/rate_limiter.hpp"
#include "actors/gateway/token_refresher.hpp"
#include "actors/inspect.hpp"
#include "http/client/client.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/send.hpp>

#include <utility>

namespace discotheque {

provider_actors spawn_provider(caf::actor_system& sys, const task_env& env,
                               const provider_descriptor& d,
                               const storage::provider_record& saved) {
  provider_actors p;
  p.descriptor = &d;
  // What the settings API stored (credentials, enablement) wins over the
  // config file.
  auto pc = with_persisted(d.config_in(env.cfg), saved.settings);
  auto api_base = trim_slash(pc.api_base.empty() ? d.defaults.api_base
                                                 : pc.api_base);
  auto auth_base = trim_slash(pc.auth_base.empty() ? d.defaults.auth_base
                                                   : pc.auth_base);
  auto rate = pc.rate_per_second > 0 ? pc.rate_per_second
                                     : d.defaults.rate_per_second;
  rate_limiter_config rl{d.name, rate, 1.05};
  auto pacer = std::make_shared<http::request_pacer>(rl.interval());
  auto spawn_client = [&](bool paced) -> http_client_actor {
    http::client_options opts;
    if (paced && rate > 0)
      opts.pacer = pacer;
    if (pc.timeout_s > 0)
      opts.timeout = std::chrono::milliseconds{pc.timeout_s * 1000};
    if (env.detached)
      return sys.spawn<caf::detached>(http::http_client, opts);
    return sys.spawn(http::http_client, opts);
  };
  p.limiter = sys.spawn(inspection::counting(rate_limiter), rl);
  circuit_breaker_config bc;
  bc.provider = d.name;
  bc.failure_threshold = pc.breaker_failures > 0 ? pc.breaker_failures : 5;
  bc.open_for = std::chrono::milliseconds{
    (pc.breaker_open_s > 0 ? pc.breaker_open_s : 300) * 1000};
  bc.store = env.store;
  bc.initial = saved.status;
  bc.initial.provider = d.name;
  bc.recent_errors = saved.errors;
  p.breaker = sys.spawn(inspection::counting(circuit_breaker), bc);
  for (int i = 0; i < 2; ++i)
    p.clients.push_back(spawn_client(true));
  if (d.needs_auth()) {
    token_refresher_config tc;
    tc.provider = d.name;
    if (d.refreshable()) {
      // Tokens: the database (auth helper, earlier refreshes) wins over the
      // config file's refresh token.
      tc.token_url = auth_base + d.defaults.token_path;
      tc.client_id = pc.client_id;
      tc.client_secret = pc.client_secret;
      tc.refresh_token = !saved.refresh_token.empty() ? saved.refresh_token
                                                      : pc.refresh_token;
      tc.access_token = saved.access_token;
      tc.expires_at = saved.expires_at;
      if (tc.access_token.empty() && !pc.access_token.empty()) {
        tc.access_token = pc.access_token; // a short-lived token from config
        tc.expires_at = now_ms() + 3600 * 1000;
      }
      p.auth_client = spawn_client(false);
      tc.http = p.auth_client;
      tc.store = env.store;
      tc.breaker = p.breaker; // token calls count like the provider's others
    } else {
      // A static token (or key): the config file wins, it cannot expire.
      tc.access_token = !pc.access_token.empty() ? pc.access_token
                                                 : saved.access_token;
    }
    p.authenticated = !tc.refresh_token.empty() || !tc.access_token.empty();
    if (p.authenticated)
      p.tokens = sys.spawn(inspection::counting(token_refresher), tc);
  }
  provider_gateway_config gc;
  gc.provider = d.name;
  gc.limiter = p.limiter;
  gc.breaker = p.breaker;
  gc.clients = p.clients;
  gc.auth = d.auth;
  if (!d.auth_param.empty())
    gc.auth_param = d.auth_param;
  gc.tokens = p.tokens;
  gc.classify = d.classify ? d.classify : classify_http;
  gc.blocked_until = saved.status.blocked_until;
  gc.store = env.store;
  gc.enabled = d.enabled_in(pc);
  p.gateway = sys.spawn(inspection::counting(provider_gateway), gc);
  if (d.wire) {
    source_config sc;
    sc.wire = *d.wire;
    sc.api_base = api_base;
    sc.enabled = d.enabled_in(pc);
    sc.authenticated = p.authenticated;
    sc.gateway = p.gateway;
    p.source = sys.spawn(cloud_source, sc);
  }
  return p;
}

namespace {

storage::provider_record load_saved(const task_env& env,
                                    const provider_descriptor& d) {
  auto since = now_ms() - 24 * 3600 * 1000;
  std::string error;
  auto saved = storage::load_provider(env.db_path, d.name, since, &error);
  if (!error.empty())
    log::get(d.name)->warn("cannot read provider state: {}", error);
  return saved;
}

} // namespace

std::vector<caf::strong_actor_ptr> actors_of(const provider_actors& p) {
  std::vector<caf::strong_actor_ptr> result;
  auto add = [&](const auto& h) {
    if (h)
      result.push_back(caf::actor_cast<caf::strong_actor_ptr>(h));
  };
  add(p.gateway);
  add(p.source);
  add(p.tokens);
  add(p.breaker);
  add(p.limiter);
  for (const auto& c : p.clients)
    add(c);
  add(p.auth_client);
  return result;
}

void stop_provider(const provider_actors& p) {
  caf::anon_send_exit(p.source, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(p.gateway, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(p.tokens, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(p.breaker, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(p.limiter, caf::exit_reason::user_shutdown);
  for (auto& c : p.clients)
    caf::anon_send_exit(c, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(p.auth_client, caf::exit_reason::user_shutdown);
}

std::shared_ptr<provider_hub> provider_hub::start(caf::actor_system& sys,
                                                  const task_env& env) {
  std::vector<provider_actors> all;
  for (const auto& d : providers()) {
    // A disabled provider has no actors (a scan-only service spawns none):
    // its tasks find none in the hub and skip as provider_unavailable, as
    // they did when its source answered "not enabled". The settings API
    // may have switched it on or off since the config file was written.
    auto saved = load_saved(env, d);
    if (!d.enabled_in(with_persisted(d.config_in(env.cfg), saved.settings)))
      continue;
    all.push_back(spawn_provider(sys, env, d, saved));
  }
  return std::make_shared<provider_hub>(sys, env, std::move(all));
}

provider_hub::provider_hub(std::vector<provider_actors> all)
  : all_(std::move(all)) {
}

provider_hub::provider_hub(caf::actor_system& sys, const task_env& env,
                           std::vector<provider_actors> all)
  : sys_(&sys), env_(env), all_(std::move(all)) {
  env_.providers = nullptr; // no cycle: the hub does not own itself
}

provider_hub::~provider_hub() {
  for (auto& p : all_)
    stop_provider(p);
}

std::optional<provider_actors> provider_hub::find(std::string_view name) const {
  std::lock_guard<std::mutex> guard{mtx_};
  for (const auto& p : all_)
    if (p.descriptor && p.descriptor->name == name)
      return p;
  return std::nullopt;
}

std::vector<provider_actors> provider_hub::all() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return all_;
}

std::optional<provider_actors> provider_hub::respawn(std::string_view name) {
  const auto* d = find_provider(name);
  if (sys_ == nullptr || d == nullptr)
    return std::nullopt;
  // Read and spawn outside the lock: tasks may ask for actors meanwhile
  // (and get the old ones, which fail as the dead ones would).
  auto saved = load_saved(env_, *d);
  std::optional<provider_actors> old;
  if (!d->enabled_in(with_persisted(d->config_in(env_.cfg), saved.settings))) {
    // Switched off: no actors, as at start-up.
    {
      std::lock_guard<std::mutex> guard{mtx_};
      for (auto i = all_.begin(); i != all_.end(); ++i)
        if (i->descriptor && i->descriptor->name == d->name) {
          old = *i;
          all_.erase(i);
          break;
        }
    }
    if (old)
      stop_provider(*old);
    return std::nullopt;
  }
  auto fresh = spawn_provider(*sys_, env_, *d, saved);
  {
    std::lock_guard<std::mutex> guard{mtx_};
    for (auto& p : all_)
      if (p.descriptor && p.descriptor->name == d->name) {
        old = std::exchange(p, fresh);
        break;
      }
    if (!old)
      all_.push_back(fresh);
  }
  if (old)
    stop_provider(*old);
  return fresh;
}

} // namespace discotheque
