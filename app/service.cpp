#include "app/service.hpp"

#include "actors/api.hpp"
#include "actors/store.hpp"
#include "http/server/server.hpp"
#include "messages/error.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <csignal>
#include <iostream>
#include <pthread.h>

namespace discotheque {

void block_shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

namespace {

int wait_for_shutdown_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
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

} // namespace

void configure_actor_system(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::discotheque>();
  cfg.add_message_types<caf::id_block::discotheque_cloud>();
  cfg.add_error_category(
    error_category(),
    [](uint8_t code, caf::atom_value, const caf::message& ctx) -> std::string {
      std::string result = to_string(static_cast<ec>(code));
      if (ctx.match_elements<std::string>())
        result += ": " + ctx.get_as<std::string>(0);
      return result;
    });
}

int serve(const config& cfg) {
  auto log = log::get("service");
  caf::actor_system_config sys_cfg;
  configure_actor_system(sys_cfg);
  caf::actor_system sys{sys_cfg};
  caf::scoped_actor self{sys};

  store_config store_cfg;
  store_cfg.db_path = cfg.db_path();
  auto store_hdl = sys.spawn<caf::detached>(store, store_cfg);
  // The store opens and migrates the database before it answers anything.
  bool store_ok = false;
  std::string store_error;
  self->request(store_hdl, std::chrono::seconds(60), atom::stats_v)
    .receive([&](const store_stats&) { store_ok = true; },
             [&](const caf::error& err) { store_error = render(err); });
  if (!store_ok) {
    std::cerr << "discotheque: cannot open database " << cfg.db_path().string()
              << ": " << store_error << '\n';
    return 1;
  }

  auto api_hdl = sys.spawn(api, api_config{store_hdl, now_ms(), std::chrono::seconds(5)});
  http::server srv{
    http::server_options{cfg.listen_host, cfg.listen_port, cfg.http_threads,
                         static_cast<uint64_t>(cfg.http_max_body_bytes),
                         cfg.http_idle_timeout_s},
    [api_hdl](http::request req, http::responder reply) {
      caf::anon_send(api_hdl, atom::http_v,
                     http_exchange{std::move(req), std::move(reply)});
    }};
  try {
    srv.start();
  } catch (const std::exception& e) {
    std::cerr << "discotheque: " << e.what() << '\n';
    stop_and_wait(self, api_hdl);
    stop_and_wait(self, store_hdl);
    return 1;
  }
  log->info("Discotheque {} running; data in {}", DISCOTHEQUE_VERSION,
            cfg.data_dir.string());

  auto sig = wait_for_shutdown_signal();
  log->info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
  srv.stop();
  stop_and_wait(self, api_hdl);
  stop_and_wait(self, store_hdl);
  log->info("stopped cleanly");
  return 0;
}

} // namespace discotheque
