// Test and benchmark helper: runs cloud sync tasks with the real actors
// (store, provider_hub: gateways, rate limiters, breakers, token refreshers,
// sources, sync_source / sync_playlists) against whatever the config's
// api_base points at (the fake providers), with a recording stand-in for
// the dedup store. Prints one JSON document: every task result, every
// entity handed over per (source, reason), reconcile calls, provider_state.
//
// The stand-in gives each provider id a stable row (INSERT OR IGNORE into
// tracks/albums/artists) so that playlist links satisfy foreign keys; the
// matching rules themselves are the dedup store's job (tested there).
//
// usage: sync_probe CONFIG.json TASK[,TASK...] [RUN_ID]
#include "actors/dedup/dedup_store.hpp"
#include "actors/gateway/provider_hub.hpp"
#include "actors/registry.hpp"
#include "actors/sources/providers.hpp"
#include "actors/store.hpp"
#include "app/data_dir.hpp"
#include "app/service.hpp"
#include "config/config.hpp"
#include "messages/error.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <iostream>
#include <map>
#include <set>
#include <sstream>

using namespace discotheque;
using nlohmann::json;

namespace {

struct recording {
  std::map<std::string, int64_t> ids; // "track:spotify:xyz" -> row id
  int64_t next_id = 1;
  // source/reason -> kind -> ids in arrival order
  std::map<std::string, std::map<std::string, std::vector<std::string>>> seen;
  std::vector<std::string> reconciled;
  int64_t entities = 0;
};

/// State shared with main(), read only after every task answered (the
/// answers come after every merge was acknowledged).
struct probe_state {
  static inline const char* name = "probe-dedup";
  probe_state() = default;
  store_actor store;
  dedup_store_actor real; ///< when set, batches go on to the real dedup store
  std::shared_ptr<recording> rec;
};

dedup_store_actor::behavior_type
probe_dedup(dedup_store_actor::stateful_pointer<probe_state> self,
            store_actor store, dedup_store_actor real,
            std::shared_ptr<recording> rec) {
  self->state.store = store;
  self->state.real = real;
  self->state.rec = rec;
  return {
    [self](atom::merge, const ingest_batch& b) -> caf::result<ingest_result> {
      auto& st = *self->state.rec;
      auto key = b.source + "/" + (b.reason.empty() ? "-" : b.reason);
      auto& seen = st.seen[key];
      // what the sync handed over, in arrival order
      for (const auto& a : b.artists)
        seen["artists"].push_back(provider_id(a, b.source));
      for (const auto& a : b.albums)
        seen["albums"].push_back(provider_id(a, b.source));
      for (const auto& t : b.tracks) {
        seen["tracks"].push_back(provider_id(t, b.source));
        if (!t.isrc.empty())
          seen["isrcs"].push_back(t.isrc);
      }
      st.entities += static_cast<int64_t>(b.artists.size() + b.albums.size()
                                          + b.tracks.size());
      if (self->state.real)
        return self->delegate(self->state.real, atom::merge_v, b);
      ingest_result res;
      write_request req;
      auto row = [&](const std::string& kind, const std::string& id,
                     const std::string& title) {
        auto k = kind + ":" + b.source + ":" + id;
        auto it = st.ids.find(k);
        if (it != st.ids.end()) {
          ++res.merged;
          return it->second;
        }
        auto rid = st.next_id++;
        st.ids.emplace(k, rid);
        ++res.created;
        auto table = kind == "track"   ? "tracks"
                     : kind == "album" ? "albums"
                                       : "artists";
        auto col = kind == "artist" ? "name" : "title";
        auto ncol = kind == "artist" ? "normalized_name" : "normalized_title";
        req.statements.push_back(
          sql_stmt{std::string{"INSERT OR IGNORE INTO "} + table + "(id, " + col
                     + ", " + ncol + ") VALUES (?1, ?2, ?2)",
                   {sql_value::of(rid), sql_value::of(title)}});
        return rid;
      };
      for (const auto& a : b.artists)
        res.artist_ids.push_back(
          row("artist", provider_id(a, b.source), a.name));
      for (const auto& a : b.albums)
        res.album_ids.push_back(
          row("album", provider_id(a, b.source), a.title));
      for (const auto& t : b.tracks)
        res.track_ids.push_back(
          row("track", provider_id(t, b.source), t.title));
      if (req.statements.empty())
        return res;
      auto rp = self->make_response_promise<ingest_result>();
      self
        ->request(self->state.store, caf::infinite, atom::write_v,
                  std::move(req))
        .then([rp, res](const write_ack&) mutable { rp.deliver(res); },
              [rp](const caf::error& err) mutable { rp.deliver(err); });
      return rp;
    },
    [self](atom::reconcile, const std::string& source,
           const std::string& reason, int64_t run_id) -> caf::result<int64_t> {
      self->state.rec->reconciled.push_back(source + "/" + reason + "/"
                                            + std::to_string(run_id));
      if (self->state.real)
        return self->delegate(self->state.real, atom::reconcile_v, source,
                              reason, run_id);
      return int64_t{0};
    },
    [](atom::inspect_atom) { return actor_summary{}; },
  };
}

json result_json(const task_result& r) {
  json stats = json::parse(r.stats_json, nullptr, false);
  return json{{"task", r.task},
              {"status", to_string(r.status)},
              {"reason", to_string(r.reason)},
              {"error", r.error},
              {"stats", stats},
              {"started_at", r.started_at},
              {"finished_at", r.finished_at}};
}

long peak_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: sync_probe CONFIG.json TASK[,TASK...] [RUN_ID]\n";
    return 2;
  }
  config cfg;
  try {
    cfg = config::from_file(argv[1]);
    prepare_data_dir(cfg.data_dir);
  } catch (const config_error& e) {
    std::cerr << "sync_probe: " << e.what() << '\n';
    return 2;
  }
  log::init(cfg.log_level);
  std::vector<std::string> tasks;
  {
    std::stringstream ss{argv[2]};
    std::string t;
    while (std::getline(ss, t, ','))
      tasks.push_back(t);
  }
  int64_t run_id = argc > 3 ? std::stoll(argv[3]) : 1;
  caf::actor_system_config sys_cfg;
  configure_actor_system(sys_cfg);
  if (const char* policy = std::getenv("PROBE_SCHEDULER"))
    sys_cfg.set("scheduler.policy", std::string{policy} == "sharing"
                                      ? caf::atom("sharing")
                                      : caf::atom("stealing"));
  caf::actor_system sys{sys_cfg};
  json out;
  {
    caf::scoped_actor self{sys};
    store_config scfg;
    scfg.db_path = cfg.db_path();
    auto st = sys.spawn<caf::detached>(store, scfg);
    self->request(st, std::chrono::seconds(60), atom::stats_v)
      .receive([](const store_stats&) {},
               [](const caf::error& e) {
                 std::cerr << "store: " << render(e) << '\n';
                 std::exit(1);
               });
    auto rec = std::make_shared<recording>();
    // PROBE_DEDUP=real: every batch also goes through the real dedup store
    // (matching, merging, the writes it makes), as in the service.
    dedup_store_actor real;
    if (const char* d = std::getenv("PROBE_DEDUP");
        d && std::string{d} == "real")
      real = sys.spawn<caf::detached>(
        dedup_store, dedup_config{cfg.db_path(), st, provider_names()});
    auto dedup = sys.spawn(probe_dedup, st, real, rec);
    task_env env;
    env.cfg = cfg;
    env.db_path = cfg.db_path();
    env.store = st;
    env.dedup = dedup;
    env.detached = true;
    env.providers = provider_hub::start(sys, env);
    auto defs = default_tasks(env);
    auto started = now_ms();
    std::vector<task_actor> actors;
    for (const auto& name : tasks) {
      auto it = std::find_if(defs.begin(), defs.end(),
                             [&](const task_def& d) { return d.name == name; });
      if (it == defs.end() || !it->spawn) {
        std::cerr << "sync_probe: no task " << name << '\n';
        return 2;
      }
      actors.push_back(it->spawn(sys));
    }
    // all tasks at once: they share the providers' limiters and breakers
    for (size_t i = 0; i < actors.size(); ++i)
      self->send(actors[i], atom::run_v,
                 task_request{tasks[i], "command", run_id});
    json results = json::object();
    for (size_t i = 0; i < actors.size(); ++i)
      self->receive(
        [&](const task_result& r) { results[r.task] = result_json(r); },
        [&](const caf::error& e) {
          results["error_" + std::to_string(i)] = render(e);
        });
    auto wall_ms = now_ms() - started;
    out["results"] = results;
    out["wall_ms"] = wall_ms;
    json seen = json::object();
    for (const auto& [key, kinds] : rec->seen) {
      json k = json::object();
      for (const auto& [kind, ids] : kinds) {
        std::set<std::string> uniq(ids.begin(), ids.end());
        k[kind] = json{{"count", ids.size()}, {"unique", uniq.size()}};
        if (ids.size() <= 20000)
          k[kind]["ids"] = ids;
      }
      seen[key] = k;
    }
    out["seen"] = seen;
    out["reconciled"] = rec->reconciled;
    out["entities"] = rec->entities;
    out["entities_per_s"]
      = wall_ms > 0 ? static_cast<double>(rec->entities) * 1000.0 / wall_ms : 0;
    self->request(st, std::chrono::seconds(60), atom::stats_v)
      .receive(
        [&](const store_stats& s) {
          out["store"] = json{{"transactions", s.transactions},
                              {"writes", s.writes},
                              {"failed_writes", s.failed_writes}};
        },
        [](const caf::error&) {});
    caf::anon_send_exit(dedup, caf::exit_reason::user_shutdown);
    if (real)
      caf::anon_send_exit(real, caf::exit_reason::user_shutdown);
    for (auto& a : actors)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    self->monitor(st);
    caf::anon_send_exit(st, caf::exit_reason::user_shutdown);
    self->receive([](const caf::down_msg&) {});
  }
  out["peak_rss_kb"] = peak_rss_kb();
  std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace)
            << std::endl;
  return 0;
}
