// bench_status: GET /api/library/status under load, with the store idle
// (baseline) and with the store busy writing while cycles run.
//
// Everything runs in this process: the real store, dedup store, supervisor
// (with the real tasks: a scan of an empty music folder, the health check,
// provider syncs without providers), reader, api actor and Beast server on
// 127.0.0.1, plus keep-alive client threads that send at a fixed rate (open
// loop: latency counts from the moment a request was due, so a stall is not
// hidden by the client waiting).
//
// The busy phase's load is what a big provider sync does: pages of liked
// tracks (with their albums and artists) merged by the dedup store, which
// writes them through the store.
//
// usage: bench_status [--rate N] [--seconds S] [--connections C]
#include "actors/api.hpp"
#include "actors/dedup/dedup_store.hpp"
#include "actors/gateway/provider_hub.hpp"
#include "actors/reader.hpp"
#include "actors/registry.hpp"
#include "actors/sources/providers.hpp"
#include "actors/store.hpp"
#include "actors/supervisor/supervisor.hpp"
#include "actors/tasks/task_env.hpp"
#include "app/service.hpp"
#include "http/server/server.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

using namespace discotheque;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using clk = std::chrono::steady_clock;

namespace {

struct load_result {
  double seconds = 0;
  size_t ok = 0;
  size_t errors = 0;
  std::vector<double> latencies_ms;
};

load_result run_load(uint16_t port, const std::string& key, int rate,
                     int seconds, int connections) {
  std::vector<load_result> parts(static_cast<size_t>(connections));
  std::vector<std::thread> threads;
  auto start = clk::now() + std::chrono::milliseconds(50);
  auto per_conn_interval
    = std::chrono::duration<double>(static_cast<double>(connections) / rate);
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      auto& out = parts[static_cast<size_t>(c)];
      net::io_context ioc;
      beast::tcp_stream stream{ioc};
      stream.connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port});
      stream.socket().set_option(tcp::no_delay(true));
      bhttp::request<bhttp::empty_body> req{bhttp::verb::get,
                                            "/api/library/status", 11};
      req.set(bhttp::field::host, "127.0.0.1");
      req.set("X-Api-Key", key);
      req.keep_alive(true);
      beast::flat_buffer buf;
      auto offset = per_conn_interval * (static_cast<double>(c) / connections);
      auto total = static_cast<long>(rate * seconds / connections);
      for (long i = 0; i < total; ++i) {
        auto due = start
                   + std::chrono::duration_cast<clk::duration>(
                     offset + per_conn_interval * static_cast<double>(i));
        std::this_thread::sleep_until(due);
        beast::error_code ec;
        bhttp::write(stream, req, ec);
        bhttp::response<bhttp::string_body> res;
        if (!ec)
          bhttp::read(stream, buf, res, ec);
        auto done = clk::now();
        if (ec || res.result_int() != 200) {
          ++out.errors;
          if (ec)
            return;
          continue;
        }
        ++out.ok;
        out.latencies_ms.push_back(
          std::chrono::duration<double, std::milli>(done - due).count());
      }
    });
  }
  for (auto& t : threads)
    t.join();
  load_result all;
  all.seconds = std::chrono::duration<double>(clk::now() - start).count();
  for (auto& p : parts) {
    all.ok += p.ok;
    all.errors += p.errors;
    all.latencies_ms.insert(all.latencies_ms.end(), p.latencies_ms.begin(),
                            p.latencies_ms.end());
  }
  std::sort(all.latencies_ms.begin(), all.latencies_ms.end());
  return all;
}

double pct(const std::vector<double>& v, double p) {
  if (v.empty())
    return 0;
  auto idx = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  return v[idx];
}

void print_row(const char* name, const load_result& r) {
  std::printf("%-28s %9.0f %8zu %8.2f %8.2f %8.2f\n", name,
              static_cast<double>(r.ok) / r.seconds, r.errors,
              pct(r.latencies_ms, 0.50), pct(r.latencies_ms, 0.99),
              r.latencies_ms.empty() ? 0.0 : r.latencies_ms.back());
}

} // namespace

int main(int argc, char** argv) {
  int rate = 1000, seconds = 10, connections = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--rate")
      rate = std::stoi(argv[i + 1]);
    else if (a == "--seconds")
      seconds = std::stoi(argv[i + 1]);
    else if (a == "--connections")
      connections = std::stoi(argv[i + 1]);
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  log::init("warn");
  auto dir = std::filesystem::temp_directory_path()
             / "discotheque-bench-status";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  config cfg;
  cfg.data_dir = dir / "data";
  cfg.music_dirs = {dir / "music"};
  std::filesystem::create_directories(cfg.music_dirs.front());
  std::filesystem::create_directories(cfg.data_dir);

  caf::actor_system_config sys_cfg;
  configure_actor_system(sys_cfg);
  caf::actor_system sys{sys_cfg};
  caf::scoped_actor self{sys};
  store_config scfg;
  scfg.db_path = cfg.db_path();
  auto st = sys.spawn<caf::detached>(store, scfg);
  self->request(st, caf::infinite, atom::stats_v)
    .receive([](const store_stats&) {}, [](const caf::error&) {});
  auto dd = sys.spawn<caf::detached>(
    dedup_store, dedup_config{cfg.db_path(), st, provider_names()});
  task_env env;
  env.cfg = cfg;
  env.db_path = cfg.db_path();
  env.store = st;
  env.dedup = dd;
  env.detached = true;
  env.providers = provider_hub::start(sys, env);
  supervisor_config sup_cfg;
  sup_cfg.registry = *task_registry::make(default_tasks(env));
  sup_cfg.store = st;
  sup_cfg.check_interval = std::chrono::seconds(1);
  auto sup = sys.spawn(supervisor, sup_cfg);
  reader_config rcfg;
  rcfg.db_path = cfg.db_path();
  rcfg.store = st;
  auto rd = sys.spawn<caf::detached>(reader, rcfg);
  api_config acfg;
  acfg.supervisor = sup;
  acfg.reader = rd;
  acfg.api_key = "bench-key-0123456789abcdef";
  acfg.started_at = now_ms();
  auto api_hdl = sys.spawn(api, acfg);
  http::server srv{http::server_options{"127.0.0.1", 0, 1, 1 << 20, 30},
                   [api_hdl](http::request req, http::responder reply) {
                     caf::anon_send(api_hdl, atom::http_v,
                                    http_exchange{std::move(req),
                                                  std::move(reply)});
                   }};
  srv.start();

  std::printf("GET /api/library/status, %d req/s for %d s over %d keep-alive "
              "connections\n\n",
              rate, seconds, connections);
  std::printf("%-28s %9s %8s %8s %8s %8s\n", "phase", "req/s", "errors",
              "p50 ms", "p99 ms", "max ms");
  auto idle = run_load(srv.port(), acfg.api_key, rate, seconds, connections);
  print_row("baseline: store idle", idle);

  // Keep the store busy as a big sync does: pages of 500 liked tracks (a new
  // album every 10 tracks, a new artist every 50) merged by the dedup store,
  // several pages in flight, for the whole second phase.
  std::atomic<bool> writing{true};
  std::atomic<long> rows{0};
  auto writer = sys.spawn([&](caf::event_based_actor* w) {
    auto next = std::make_shared<long>(0);
    auto pump = std::make_shared<std::function<void()>>();
    // The pump holds itself only weakly: the answers it waits for (owned by
    // the writer) hold it. A pump that held itself would never be freed, nor
    // the dedup store handle it holds; the dedup store then is never
    // destroyed and the actor system's teardown waits forever for its
    // detached thread (await_detached_threads).
    std::weak_ptr<std::function<void()>> weak = pump;
    *pump = [=, &writing, &rows] {
      auto again = weak.lock();
      if (!again)
        return;
      if (!writing)
        return;
      ingest_batch page;
      page.source = "spotify";
      page.reason = "liked";
      page.run_id = 1;
      for (int i = 0; i < 500; ++i) {
        auto n = (*next)++;
        artist_dto artist;
        artist.name = "Bench Artist " + std::to_string(n / 50);
        artist.ids = {{"spotify", "ar" + std::to_string(n / 50)}};
        track_dto t;
        t.title = "Bench Track " + std::to_string(n);
        t.ids = {{"spotify", "tr" + std::to_string(n)}};
        t.artists = {artist};
        t.album.title = "Bench Album " + std::to_string(n / 10);
        t.album.ids = {{"spotify", "al" + std::to_string(n / 10)}};
        t.album.artists = {artist};
        t.track_number = static_cast<int32_t>(n % 10 + 1);
        t.duration_ms = 180000 + n % 60000;
        page.tracks.push_back(std::move(t));
      }
      w->request(dd, caf::infinite, atom::merge_v, std::move(page))
        .then(
          [again, &rows](const ingest_result& r) {
            rows += r.tracks_created + r.tracks_merged;
            (*again)();
          },
          [again](const caf::error& err) {
            std::fprintf(stderr, "merge failed: %s\n", to_string(err).c_str());
            (*again)();
          });
    };
    for (int i = 0; i < 4; ++i)
      (*pump)();
  });
  auto rows_before = rows.load();
  auto busy = run_load(srv.port(), acfg.api_key, rate, seconds, connections);
  auto rows_written = rows.load() - rows_before;
  writing = false;
  print_row("store busy + cycles running", busy);

  auto p99_ratio = pct(busy.latencies_ms, 0.99)
                   / std::max(0.001, pct(idle.latencies_ms, 0.99));
  std::printf("\nthe dedup store merged %.0f tracks/s (with their albums "
              "and artists) during the busy phase\n",
              static_cast<double>(rows_written) / busy.seconds);
  std::printf("p99 busy / baseline: %.2f\n", p99_ratio);
  bool pass = pct(busy.latencies_ms, 0.99) < 5.0
              && static_cast<double>(busy.ok) / busy.seconds >= 0.95 * rate
              && busy.errors == 0;
  std::printf("target (p99 < 5 ms at %d req/s while the store writes): %s\n",
              rate, pass ? "met" : "NOT met");

  srv.stop();
  // The service's order: the writer and the api first, then the reader, the
  // supervisor (it stops its tasks), the dedup store and last the store.
  for (auto h :
       {caf::actor_cast<caf::actor>(writer),
        caf::actor_cast<caf::actor>(api_hdl), caf::actor_cast<caf::actor>(rd),
        caf::actor_cast<caf::actor>(sup), caf::actor_cast<caf::actor>(dd),
        caf::actor_cast<caf::actor>(st)}) {
    self->monitor(h);
    self->send_exit(h, caf::exit_reason::user_shutdown);
    self->receive([](const caf::down_msg&) {});
  }
  std::filesystem::remove_all(dir);
  // The actor system's destructor waits for every detached actor's thread,
  // which ends once the actor is destroyed: no handle to one may be left.
  return pass ? 0 : 1;
}
