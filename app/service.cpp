#include "app/service.hpp"

#include "actors/api.hpp"
#include "actors/dedup/dedup_store.hpp"
#include "actors/events.hpp"
#include "actors/gateway/provider_hub.hpp"
#include "actors/images/image_pool.hpp"
#include "actors/inspect.hpp"
#include "actors/node.hpp"
#include "actors/reader.hpp"
#include "actors/registry.hpp"
#include "actors/sources/providers.hpp"
#include "actors/store.hpp"
#include "actors/supervisor/supervisor.hpp"
#include "actors/tasks/task_env.hpp"
#include "app/api_key.hpp"
#include "http/api/tasks.hpp"
#include "http/server/server.hpp"
#include "messages/error.hpp"
#include "storage/database.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <pthread.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace discotheque {

void block_shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1); // a finished command wakes the main thread
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void configure_actor_system(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::discotheque>();
  // Idle scheduler workers poll with 50 us sleeps before they wait on their
  // condition variable (woken by the next enqueue). On a 2-core machine those
  // wake-ups took a fifth of the CPU from the detached tag readers of a scan.
  cfg.set("work-stealing.aggressive-poll-attempts", size_t{10});
  cfg.set("work-stealing.moderate-poll-attempts", size_t{1});
  cfg.add_error_category(
    error_category(),
    [](uint8_t code, caf::atom_value, const caf::message& ctx) -> std::string {
      std::string result = to_string(static_cast<ec>(code));
      if (ctx.match_elements<std::string>())
        result += ": " + ctx.get_as<std::string>(0);
      return result;
    });
}

namespace {

/// Waits for SIGINT or SIGTERM (and SIGUSR1, the wake-up of a finished
/// command, when `with_wakeup`); returns the signal.
int wait_for_signal(bool with_wakeup) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  if (with_wakeup)
    sigaddset(&set, SIGUSR1);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

/// Stops `hdl` and waits until it is gone (so the store has committed).
template <class Handle>
void stop_and_wait(caf::scoped_actor& self, const Handle& hdl) {
  if (!hdl)
    return;
  self->monitor(hdl);
  self->send_exit(hdl, caf::exit_reason::user_shutdown);
  self->receive([](const caf::down_msg&) {});
}

/// Test hook: DISCOTHEQUE_FAILPOINT=store_exit_after_ms=N kills the store
/// N ms after the start, so a test can see the node shut the service down.
void inject_failpoint(caf::actor_system& sys, const store_actor& store) {
  const char* fp = std::getenv("DISCOTHEQUE_FAILPOINT");
  std::string_view spec = fp ? fp : "";
  constexpr std::string_view key = "store_exit_after_ms=";
  if (spec.substr(0, key.size()) != key)
    return;
  auto ms = std::atoi(std::string{spec.substr(key.size())}.c_str());
  sys.spawn(
    [](caf::event_based_actor* self, store_actor victim,
       int delay) -> caf::behavior {
      self->delayed_send(self, std::chrono::milliseconds(delay),
                         atom::tick_atom_v);
      return {[=](atom::tick_atom) {
        self->send_exit(victim, caf::exit_reason::kill);
        self->quit();
      }};
    },
    store, ms);
}

/// The actors every mode needs: the store and the supervisor with its tasks.
struct core {
  store_actor store;
  dedup_store_actor dedup;
  supervisor_actor supervisor;
  /// The provider actors (the tasks hold it too, read-only).
  std::shared_ptr<provider_hub> providers;
  /// The named live actors (GET /api/system/actors).
  std::shared_ptr<inspection::directory> actors
    = std::make_shared<inspection::directory>();
  /// Downloads images for enrich_images (its workers stop with it).
  image_pool_actor images;
  /// The live event stream and the task metrics (actors/events.*).
  event_bus_actor events;

  void stop(caf::scoped_actor& self) {
    stop_and_wait(self, supervisor);
    stop_and_wait(self, events);
    stop_and_wait(self, images);
    providers.reset(); // their actors stop with the last task that used them
    stop_and_wait(self, dedup);
    stop_and_wait(self, store);
  }
};

/// Lists a provider's inspectable actors under "<kind>.<provider>" (a
/// respawn lists the new ones under the same names).
void list_provider(inspection::directory& dir, const provider_actors& p) {
  auto strong = [](const auto& h) {
    return caf::actor_cast<caf::strong_actor_ptr>(h);
  };
  const auto& name = p.descriptor->name;
  dir.add("gateway." + name, "gateway", strong(p.gateway));
  dir.add("breaker." + name, "circuit_breaker", strong(p.breaker));
  dir.add("limiter." + name, "rate_limiter", strong(p.limiter));
  dir.add("tokens." + name, "token_refresher", strong(p.tokens));
}

/// Starts the core; prints one line and returns nullopt on failure.
std::optional<core> start_core(caf::actor_system& sys, caf::scoped_actor& self,
                               const config& cfg, bool timer) {
  core c;
  store_config store_cfg;
  store_cfg.db_path = cfg.db_path();
  c.store = sys.spawn<caf::detached>(inspection::counting(store), store_cfg);
  c.actors->add("store", "store",
                caf::actor_cast<caf::strong_actor_ptr>(c.store));
  // The store opens and migrates the database before it answers anything.
  std::string error;
  self->request(c.store, std::chrono::seconds(60), atom::stats_v)
    .receive([](const store_stats&) {},
             [&](const caf::error& err) { error = render(err); });
  if (!error.empty()) {
    std::cerr << "discotheque: cannot open database " << cfg.db_path().string()
              << ": " << error << '\n';
    return std::nullopt;
  }
  ::chmod(cfg.db_path().c_str(), 0600); // it holds provider tokens
  supervisor_config sup_cfg;
  try {
    auto db = storage::database::open(cfg.db_path(),
                                      storage::database::mode::read_only);
    auto fixup = load_supervisor_state(db, sup_cfg);
    self->request(c.store, std::chrono::seconds(60), atom::write_v, fixup)
      .receive([](const write_ack&) {},
               [&](const caf::error& err) { error = render(err); });
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (!error.empty()) {
    std::cerr << "discotheque: cannot read task history: " << error << '\n';
    stop_and_wait(self, c.store);
    return std::nullopt;
  }
  // The dedup store loads its indexes from the database (blocking): detached.
  c.dedup = sys.spawn<caf::detached>(inspection::counting(dedup_store),
                                     dedup_config{cfg.db_path(), c.store,
                                                  provider_names()});
  c.actors->add("dedup_store", "dedup_store",
                caf::actor_cast<caf::strong_actor_ptr>(c.dedup));
  task_env env;
  env.cfg = cfg;
  env.db_path = cfg.db_path();
  env.store = c.store;
  env.dedup = c.dedup;
  env.detached = true;
  // Reads the providers' persisted state here, before any actor needs it.
  c.providers = provider_hub::start(sys, env);
  env.providers = c.providers;
  // The image pool only queues and dispatches; its workers are detached.
  image_pool_config icfg;
  icfg.root = cfg.data_dir / "images";
  icfg.limit = static_cast<int32_t>(cfg.image_download_concurrency);
  icfg.limits.max_bytes = cfg.image_max_bytes;
  icfg.limits.max_redirects = static_cast<long>(cfg.image_max_redirects);
  icfg.limits.timeout_ms = cfg.image_timeout_s * 1000;
  icfg.store = c.store;
  c.images = sys.spawn(image_pool, icfg);
  env.images = c.images;
  for (const auto& p : c.providers->all())
    list_provider(*c.actors, p);
  // Each task's handler is listed as "task.<name>" from its (re)spawn on.
  auto defs = default_tasks(env);
  for (auto& def : defs)
    if (def.spawn)
      def.spawn = [inner = def.spawn, dir = c.actors,
                   name = def.name](caf::actor_system& s) {
        auto hdl = inner(s);
        dir->add("task." + name, "task",
                 caf::actor_cast<caf::strong_actor_ptr>(hdl));
        return hdl;
      };
  auto registry = task_registry::make(std::move(defs));
  if (!registry) {
    std::cerr << "discotheque: " << render(registry.error()) << '\n';
    stop_and_wait(self, c.store);
    return std::nullopt;
  }
  // Before the supervisor, which publishes its task events to it.
  event_bus_config bus_cfg;
  bus_cfg.directory = c.actors;
  c.events = sys.spawn(inspection::counting(event_bus), bus_cfg);
  c.actors->add("events", "event_bus",
                caf::actor_cast<caf::strong_actor_ptr>(c.events));
  sup_cfg.registry = std::move(*registry);
  sup_cfg.store = c.store;
  sup_cfg.check_interval = std::chrono::seconds(cfg.scheduler_check_interval_s);
  sup_cfg.start_timer = timer;
  c.supervisor = sys.spawn(inspection::counting(supervisor),
                           std::move(sup_cfg));
  c.actors->add("supervisor", "supervisor",
                caf::actor_cast<caf::strong_actor_ptr>(c.supervisor));
  return c;
}

/// What became of a `run` or `cycle` request: set once by the actor that
/// asked, read by the main thread after it woke up.
struct command_outcome {
  std::atomic<bool> done{false};
  std::optional<cycle_report> report;
  caf::error error;
};

/// Sends a request whose answer is a cycle report, prints it as JSON, and
/// maps it to an exit code. The main thread waits in sigwait, so that Ctrl-C
/// (SIGINT) or SIGTERM stops the run in order, as `serve` does: the
/// supervisor records its running tasks as cancelled, the store commits what
/// it accepted; the exit code is then 128 + the signal (130 for SIGINT).
template <class... Ts>
int report_command(const config& cfg, Ts&&... xs) {
  caf::actor_system_config sys_cfg;
  configure_actor_system(sys_cfg);
  caf::actor_system sys{sys_cfg};
  caf::scoped_actor self{sys};
  auto c = start_core(sys, self, cfg, false);
  if (!c)
    return 1;
  auto outcome = std::make_shared<command_outcome>();
  auto waiter = ::pthread_self();
  sys.spawn(
    [outcome, waiter](caf::event_based_actor* asker, supervisor_actor sup,
                      caf::message msg) {
      auto wake = [outcome, waiter] {
        outcome->done = true;
        ::pthread_kill(waiter, SIGUSR1); // wakes the main thread's sigwait
      };
      asker->request(caf::actor_cast<caf::actor>(sup), caf::infinite, msg)
        .then(
          [outcome, wake](const cycle_report& report) {
            outcome->report = report;
            wake();
          },
          [outcome, wake](const caf::error& err) {
            outcome->error = err;
            wake();
          });
    },
    c->supervisor, caf::make_message(std::forward<Ts>(xs)...));
  auto sig = wait_for_signal(/*with_wakeup=*/true);
  if (sig != SIGUSR1 || !outcome->done) {
    auto log = log::get("service");
    log->warn("received {}, stopping the run",
              sig == SIGINT ? "SIGINT" : "SIGTERM");
    c->stop(self);
    log->warn("stopped the run (exit code {})", 128 + sig);
    return 128 + sig;
  }
  int rc = 0;
  if (outcome->report) {
    std::cout << http::cycle_json(*outcome->report).dump(2) << std::endl;
    rc = outcome->report->succeeded() ? 0 : 1;
  } else {
    const auto& err = outcome->error;
    std::cerr << "discotheque: " << render(err) << '\n';
    rc = err.category() == error_category()
             && err.code() == static_cast<uint8_t>(ec::unknown_task)
           ? 2
           : 1;
  }
  c->stop(self);
  return rc;
}

} // namespace

std::vector<std::string> task_names() {
  std::vector<std::string> names;
  auto registry = task_registry::make(default_tasks(task_env{}));
  if (registry)
    for (const auto& def : registry->tasks())
      names.push_back(def.name);
  return names;
}

bool is_task_name(const std::string& name) {
  auto names = task_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

int run_tasks(const config& cfg, const std::vector<std::string>& tasks) {
  return report_command(cfg, atom::run_v, tasks, std::string{"command"});
}

int run_cycle(const config& cfg) {
  return report_command(cfg, atom::cycle_v, std::string{"command"});
}

int serve(const config& cfg) {
  auto log = log::get("service");
  std::string key;
  try {
    key = ensure_api_key(cfg);
  } catch (const config_error& e) {
    std::cerr << "discotheque: " << e.what() << '\n';
    return 1;
  }
  caf::actor_system_config sys_cfg;
  configure_actor_system(sys_cfg);
  caf::actor_system sys{sys_cfg};
  caf::scoped_actor self{sys};
  // Requests arrive only after srv.start(), when the api actor exists.
  api_actor api_hdl;
  http::server srv{
    http::server_options{cfg.listen_host, cfg.listen_port, cfg.http_threads,
                         static_cast<uint64_t>(cfg.http_max_body_bytes),
                         cfg.http_idle_timeout_s},
    [&api_hdl](http::request req, http::responder reply) {
      caf::anon_send(api_hdl, atom::http_v,
                     http_exchange{std::move(req), std::move(reply)});
    }};
  // Everything that can fail at start fails before a task can run: a port in
  // use must not leave runs behind that the next start marks interrupted.
  try {
    srv.bind();
  } catch (const std::exception& e) {
    std::cerr << "discotheque: " << e.what() << '\n';
    return 1;
  }
  auto c = start_core(sys, self, cfg, true);
  if (!c)
    return 1;
  reader_config rcfg;
  rcfg.db_path = cfg.db_path();
  rcfg.store = c->store;
  rcfg.providers = cfg.providers;
  rcfg.routes = default_reader_routes();
  auto reader_hdl = sys.spawn<caf::detached>(inspection::counting(reader),
                                             rcfg);
  c->actors->add("reader", "reader",
                 caf::actor_cast<caf::strong_actor_ptr>(reader_hdl));
  api_config acfg;
  acfg.supervisor = c->supervisor;
  acfg.reader = reader_hdl;
  acfg.api_key = key;
  acfg.metrics_token = cfg.metrics_token;
  acfg.started_at = now_ms();
  acfg.directory = c->actors;
  api_hdl = sys.spawn(inspection::counting(api), acfg);
  c->actors->add("api", "api", caf::actor_cast<caf::strong_actor_ptr>(api_hdl));
  // The node supervises the infrastructure: a reader that dies is replaced
  // (and the api told); the store, the dedup store or the api dying ends the
  // service in order with a non-zero exit code, rather than running on
  // without a writer.
  static std::atomic<bool> fatal{false};
  node_config ncfg;
  auto strong = [](const auto& h) {
    return caf::actor_cast<caf::strong_actor_ptr>(h);
  };
  ncfg.components.push_back({"store", strong(c->store), {}, {}, {}, {}});
  ncfg.components.push_back({"dedup store", strong(c->dedup), {}, {}, {}, {}});
  ncfg.components.push_back({"api", strong(api_hdl), {}, {}, {}, {}});
  ncfg.components.push_back({"image pool", strong(c->images), {}, {}, {}, {}});
  ncfg.components.push_back(
    {"reader",
     strong(reader_hdl),
     [&sys, rcfg] {
       return caf::actor_cast<caf::strong_actor_ptr>(
         sys.spawn<caf::detached>(inspection::counting(reader), rcfg));
     },
     [&reader_hdl, api = api_hdl,
      dir = c->actors](const caf::strong_actor_ptr& h) {
       reader_hdl = caf::actor_cast<reader_actor>(h);
       dir->add("reader", "reader", h);
       caf::anon_send(api, atom::put_atom_v, reader_hdl);
     },
     {},
     {}});
  // A provider's actors are one component: when one dies, all of them are
  // spawned again from the persisted state and the hub hands out the new
  // ones (a task asks it at the start of each run).
  // A settings change (credentials, enablement) respawns one the same way;
  // a provider without actors at start-up gets its component then.
  auto provider_component = [hub = c->providers,
                             dir = c->actors](const std::string& name) {
    node_component pc;
    pc.name = "provider " + name;
    pc.restart_group = [hub, name, dir] {
      auto fresh = hub->respawn(name);
      if (!fresh)
        return std::vector<caf::strong_actor_ptr>{};
      list_provider(*dir, *fresh);
      return actors_of(*fresh);
    };
    return pc;
  };
  for (const auto& p : c->providers->all()) {
    auto actors = actors_of(p);
    if (actors.empty())
      continue;
    auto pc = provider_component(p.descriptor->name);
    pc.handle = actors.front();
    pc.members.assign(actors.begin() + 1, actors.end());
    ncfg.components.push_back(std::move(pc));
  }
  ncfg.provider_component = [provider_component](const std::string& name) {
    return find_provider(name) ? std::optional{provider_component(name)}
                               : std::nullopt;
  };
  ncfg.on_fatal = [](const std::string&) {
    fatal = true;
    ::kill(::getpid(), SIGTERM); // wakes the main thread's sigwait
  };
  // Detached: restarting a provider reads its persisted state.
  auto node_hdl = sys.spawn<caf::detached>(inspection::counting(node),
                                           std::move(ncfg));
  c->actors->add("node", "node",
                 caf::actor_cast<caf::strong_actor_ptr>(node_hdl));
  inject_failpoint(sys, c->store);
  auto shutdown = [&] {
    stop_and_wait(self, node_hdl); // first: what follows is no failure
    stop_and_wait(self, api_hdl);
    stop_and_wait(self, reader_hdl);
    c->stop(self);
  };
  try {
    srv.start();
  } catch (const std::exception& e) {
    std::cerr << "discotheque: " << e.what() << '\n';
    shutdown();
    return 1;
  }
  log->info("Discotheque {} running; data in {}; API key in {}",
            DISCOTHEQUE_VERSION, cfg.data_dir.string(),
            cfg.api_key.empty() ? (cfg.data_dir / "api_key").string()
                                : std::string{"the config"});
  auto sig = wait_for_signal(/*with_wakeup=*/false);
  if (fatal)
    log->error("an essential actor stopped; shutting down in order");
  else
    log->info("received {}, shutting down",
              sig == SIGINT ? "SIGINT" : "SIGTERM");
  srv.stop();
  log->info("stopped the HTTP server");
  shutdown();
  if (fatal) {
    log->error("stopped after a fatal error (exit code 1)");
    return 1;
  }
  log->info("stopped cleanly");
  return 0;
}

} // namespace discotheque
