#include "actors/cloud.hpp"

#include "actors/gateway/circuit_breaker.hpp"
#include "actors/gateway/provider_gateway.hpp"
#include "actors/gateway/rate_limiter.hpp"
#include "actors/gateway/token_refresher.hpp"
#include "actors/sources/deezer.hpp"
#include "actors/sources/spotify.hpp"
#include "actors/sources/tidal.hpp"
#include "actors/tasks/sync_playlists.hpp"
#include "actors/tasks/sync_source.hpp"
#include "http/client/client.hpp"
#include "storage/database.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/send.hpp>

namespace discotheque {

const provider_defaults* defaults_for(const std::string& provider) {
  static const std::map<std::string, provider_defaults> all = {
    {"spotify",
     {"https://api.spotify.com/v1", "https://accounts.spotify.com",
      "/api/token", 10}},
    // Deezer: measured 50 requests / 5 s per IP (wire notes)
    {"deezer", {"https://api.deezer.com", "", "", 10}},
    {"tidal",
     {"https://openapi.tidal.com/v2", "https://auth.tidal.com",
      "/v1/oauth2/token", 5}},
  };
  auto it = all.find(provider);
  return it == all.end() ? nullptr : &it->second;
}

namespace {

struct persisted {
  provider_status status;
  std::vector<int64_t> errors;
  std::string access_token;
  std::string refresh_token;
  int64_t expires_at = 0;
};

persisted load_persisted(const std::filesystem::path& db_path,
                         const std::string& provider) {
  persisted p;
  p.status.provider = provider;
  if (db_path.empty() || !std::filesystem::exists(db_path))
    return p;
  try {
    auto db = storage::database::open(db_path,
                                      storage::database::mode::read_only);
    auto st = db.prepare(
      "SELECT breaker_state, consecutive_failures, opened_at, blocked_until,"
      " last_success_at, last_error FROM provider_state WHERE provider = ?1");
    st.bind(1, std::string_view{provider});
    if (st.step()) {
      p.status.breaker_state = st.text(0);
      p.status.consecutive_failures = static_cast<int32_t>(st.int64(1));
      p.status.opened_at = st.opt_int64(2).value_or(0);
      p.status.blocked_until = st.opt_int64(3).value_or(0);
      p.status.last_success_at = st.opt_int64(4).value_or(0);
      p.status.last_error = st.opt_text(5).value_or("");
    }
    auto errs = db.prepare(
      "SELECT at FROM provider_errors WHERE provider = ?1 AND at >= ?2"
      " ORDER BY at");
    errs.bind(1, std::string_view{provider});
    errs.bind(2, now_ms() - 24 * 3600 * 1000);
    while (errs.step())
      p.errors.push_back(errs.int64(0));
    auto tok = db.prepare("SELECT access_token, refresh_token, expires_at"
                          " FROM provider_tokens WHERE provider = ?1");
    tok.bind(1, std::string_view{provider});
    if (tok.step()) {
      p.access_token = tok.opt_text(0).value_or("");
      p.refresh_token = tok.opt_text(1).value_or("");
      p.expires_at = tok.opt_int64(2).value_or(0);
    }
  } catch (const std::exception& e) {
    log::get(provider)->warn("cannot read provider state: {}", e.what());
  }
  return p;
}

} // namespace

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/')
    s.pop_back();
  return s;
}

cloud_hub::cloud_hub(task_env env) : env_(std::move(env)) {
}

cloud_hub::~cloud_hub() {
  // Delayed messages (token ticks, backoffs) keep actors alive: stop them.
  for (auto& [name, p] : providers_) {
    caf::anon_send_exit(p.source, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(p.gateway, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(p.tokens, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(p.breaker, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(p.limiter, caf::exit_reason::user_shutdown);
    for (auto& c : p.clients)
      caf::anon_send_exit(c, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(p.auth_client, caf::exit_reason::user_shutdown);
  }
}

const cloud_provider& cloud_hub::get(caf::actor_system& sys,
                                     const std::string& name) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = providers_.find(name);
  if (it != providers_.end())
    return it->second;
  cloud_provider p;
  p.name = name;
  const auto* defs = defaults_for(name);
  provider_config pc;
  if (auto c = env_.cfg.providers.find(name); c != env_.cfg.providers.end())
    pc = c->second;
  auto api_base = trim_slash(pc.api_base.empty() && defs ? defs->api_base
                                                         : pc.api_base);
  auto auth_base = trim_slash(pc.auth_base.empty() && defs ? defs->auth_base
                                                           : pc.auth_base);
  auto rate = pc.rate_per_second > 0 ? pc.rate_per_second
                                     : (defs ? defs->rate_per_second : 1);
  auto saved = load_persisted(env_.db_path, name);
  rate_limiter_config rl{name, rate, 1.05};
  auto pacer = std::make_shared<http::request_pacer>(rl.interval());
  auto spawn_client = [&](bool paced) -> http_client_actor {
    http::client_options opts;
    if (paced && rate > 0)
      opts.pacer = pacer;
    if (pc.timeout_s > 0)
      opts.timeout = std::chrono::milliseconds{pc.timeout_s * 1000};
    if (env_.detached)
      return sys.spawn<caf::detached>(http::http_client, opts);
    return sys.spawn(http::http_client, opts);
  };
  p.limiter = sys.spawn(rate_limiter, rl);
  circuit_breaker_config bc;
  bc.provider = name;
  bc.failure_threshold = pc.breaker_failures > 0 ? pc.breaker_failures : 5;
  bc.open_for = std::chrono::milliseconds{
    (pc.breaker_open_s > 0 ? pc.breaker_open_s : 300) * 1000};
  bc.store = env_.store;
  bc.initial = saved.status;
  bc.recent_errors = saved.errors;
  p.breaker = sys.spawn(circuit_breaker, bc);
  for (int i = 0; i < 2; ++i)
    p.clients.push_back(spawn_client(true));
  // Tokens: the database (auth helper, earlier refreshes) wins over the
  // config file's refresh token.
  bool oauth = defs && !defs->token_path.empty();
  bool authenticated = false;
  auth_mode mode = auth_mode::none;
  if (oauth) {
    token_refresher_config tc;
    tc.provider = name;
    tc.token_url = auth_base + defs->token_path;
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
    tc.store = env_.store;
    authenticated = !tc.refresh_token.empty() || !tc.access_token.empty();
    if (authenticated)
      p.tokens = sys.spawn(token_refresher, tc);
    mode = auth_mode::bearer;
  } else if (name == "deezer") {
    token_refresher_config tc;
    tc.provider = name;
    tc.access_token = !pc.access_token.empty() ? pc.access_token
                                               : saved.access_token;
    authenticated = !tc.access_token.empty();
    if (authenticated)
      p.tokens = sys.spawn(token_refresher, tc);
    mode = auth_mode::query_token;
  }
  provider_gateway_config gc;
  gc.provider = name;
  gc.limiter = p.limiter;
  gc.breaker = p.breaker;
  gc.clients = p.clients;
  gc.auth = mode;
  gc.tokens = p.tokens;
  gc.classify = name == "deezer" ? classify_deezer : classify_http;
  gc.blocked_until = saved.status.blocked_until;
  gc.store = env_.store;
  gc.enabled = pc.enabled;
  p.gateway = sys.spawn(provider_gateway, gc);
  source_config sc;
  sc.api_base = api_base;
  sc.enabled = pc.enabled;
  sc.authenticated = authenticated;
  sc.gateway = p.gateway;
  if (name == "spotify")
    p.source = sys.spawn(spotify_source, sc);
  else if (name == "deezer")
    p.source = sys.spawn(deezer_source, sc);
  else if (name == "tidal")
    p.source = sys.spawn(tidal_source, sc);
  return providers_.emplace(name, std::move(p)).first->second;
}

void attach_cloud_tasks(std::vector<task_def>& defs, const task_env& env) {
  auto hub = std::make_shared<cloud_hub>(env);
  // A new provider: one source actor in cloud_hub::get and one line here.
  const std::vector<std::pair<std::string, std::string>> syncs{
    {"sync_spotify_likes", "spotify"},
    {"sync_deezer_favorites", "deezer"},
    {"sync_tidal_favorites", "tidal"},
  };
  for (auto& def : defs) {
    for (const auto& [task, provider] : syncs)
      if (def.name == task)
        def.spawn = [hub, task = task,
                     provider = provider](caf::actor_system& sys) {
          sync_source_config sc;
          sc.env = hub->env();
          sc.task = task;
          sc.source = provider;
          sc.src = hub->get(sys, provider).source;
          return task_actor{sys.spawn(sync_source, sc)};
        };
    if (def.name == "sync_playlists")
      def.spawn = [hub](caf::actor_system& sys) {
        sync_playlists_config pc;
        pc.env = hub->env();
        for (const auto& provider : {"spotify", "deezer", "tidal"})
          pc.sources.emplace_back(provider, hub->get(sys, provider).source);
        return task_actor{sys.spawn(sync_playlists, pc)};
      };
  }
}

} // namespace discotheque
