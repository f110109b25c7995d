#include "actors/tasks/health_check.hpp"

#include "messages/error.hpp"
#include "storage/database.hpp"
#include "storage/queries/providers.hpp"
#include "storage/writes/settings.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <cstdio>
#include <filesystem>

#include <sys/statvfs.h>
#include <unistd.h>

namespace discotheque {

using nlohmann::json;

namespace {

int severity(const std::string& state) {
  return state == "error" ? 2 : state == "degraded" ? 1 : 0;
}

void raise(std::string& state, const std::string& to) {
  if (severity(to) > severity(state))
    state = to;
}

json disk_of(const std::filesystem::path& p, const std::string& role,
             uint64_t min_free_mb, std::string& state, json& problems) {
  json d{{"path", p.string()}, {"role", role}};
  struct statvfs vfs {};
  if (::statvfs(p.c_str(), &vfs) != 0) {
    d["error"] = "cannot stat: " + std::string{std::strerror(errno)};
    problems.push_back(role + " folder " + p.string() + " is not accessible");
    raise(state, role == "data" ? "error" : "degraded");
    return d;
  }
  auto free_bytes = static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
  auto total_bytes = static_cast<uint64_t>(vfs.f_blocks) * vfs.f_frsize;
  d["free_bytes"] = free_bytes;
  d["total_bytes"] = total_bytes;
  if (free_bytes >= (min_free_mb << 20))
    return d;
  problems.push_back(role + " folder " + p.string() + " has only "
                     + std::to_string(free_bytes >> 20)
                     + " MiB free (health.min_free_mb is "
                     + std::to_string(min_free_mb) + ")");
  raise(state,
        role == "data" && free_bytes < disk_error_bytes ? "error" : "degraded");
  return d;
}

/// The image folder (<data>/images): its free space, whether we may write
/// there, its mode. Missing is fine: the image pool creates it.
json images_of(const std::filesystem::path& p, uint64_t min_free_mb,
               std::string& state, json& problems) {
  std::error_code ec;
  if (!std::filesystem::exists(p, ec))
    return json{{"path", p.string()}, {"role", "images"}, {"exists", false}};
  auto d = disk_of(p, "images", min_free_mb, state, problems);
  d["exists"] = true;
  auto perms = std::filesystem::status(p, ec).permissions();
  char mode[8];
  std::snprintf(mode, sizeof(mode), "%04o",
                static_cast<unsigned>(perms) & 07777u);
  d["mode"] = mode;
  bool writable = ::access(p.c_str(), W_OK | X_OK) == 0;
  d["writable"] = writable;
  if (!writable) {
    problems.push_back("images folder " + p.string() + " is not writable");
    raise(state, "degraded");
  }
  return d;
}

} // namespace

json evaluate_health(const task_env& env, const store_stats& store,
                     const std::string& write_error) {
  std::string state = "healthy";
  json problems = json::array();
  json database{{"writable", write_error.empty()},
                {"transactions", store.transactions},
                {"failed_writes", store.failed_writes}};
  if (!write_error.empty()) {
    problems.push_back("database is not writable: " + write_error);
    raise(state, "error");
  } else if (store.degraded) {
    problems.push_back("database had failing transactions: "
                       + store.last_error);
    raise(state, "degraded");
  }
  json providers = json::array();
  try {
    auto db = storage::database::open(env.db_path,
                                      storage::database::mode::read_only);
    auto check = db.query_text("PRAGMA quick_check").value_or("no answer");
    database["consistent"] = check == "ok";
    if (check != "ok") {
      problems.push_back("database consistency check failed: " + check);
      raise(state, "error");
    }
    for (const auto& row : storage::read_breaker_states(db)) {
      const auto& name = row.provider;
      const auto& breaker = row.breaker_state;
      providers.push_back({{"name", name}, {"circuit_breaker", breaker}});
      if (breaker != "closed") {
        problems.push_back("provider " + name + " circuit breaker is "
                           + breaker);
        raise(state, "degraded");
      }
    }
  } catch (const std::exception& e) {
    database["consistent"] = false;
    problems.push_back(std::string{"cannot read database: "} + e.what());
    raise(state, "error");
  }
  json disks = json::array();
  auto min_free_mb = static_cast<uint64_t>(env.cfg.health_min_free_mb);
  disks.push_back(
    disk_of(env.cfg.data_dir, "data", min_free_mb, state, problems));
  for (const auto& m : env.cfg.music_dirs)
    disks.push_back(disk_of(m, "music", min_free_mb, state, problems));
  auto images = images_of(env.cfg.data_dir / "images", min_free_mb, state,
                          problems);
  return json{{"state", state},
              {"problems", problems},
              {"database", database},
              {"disks", disks},
              {"images", images},
              {"providers", providers},
              {"checked_at", iso8601(now_ms())}};
}

task_actor::behavior_type
health_check(task_actor::stateful_pointer<health_check_state> self,
             task_env env) {
  self->state.env = std::move(env);
  self->state.log = log::get("health_check");
  return {
    [self](atom::run, const task_request& req) -> caf::result<task_result> {
      if (!self->state.run.begin(self, req))
        return self->state.run.refusal();
      auto finish = [self](const store_stats& s,
                           const std::string& write_error) mutable {
        auto stats = evaluate_health(self->state.env, s, write_error);
        auto r = self->state.run.result(run_status::succeeded);
        r.stats_json = stats.dump();
        auto state = stats["state"].get<std::string>();
        if (state == "healthy")
          self->state.log->info("health: healthy");
        else
          self->state.log->warn("health: {} ({})", state,
                                stats["problems"].dump());
        self->state.run.finish(std::move(r));
      };
      // The store's counters, read after the probe so that they include it
      // (a failed probe is one more failed write).
      auto with_stats = [self, finish](std::string write_error) mutable {
        self
          ->request(self->state.env.store, std::chrono::seconds(10),
                    atom::stats_v)
          .then([finish, write_error](
                  const store_stats& s) mutable { finish(s, write_error); },
                [finish, write_error](const caf::error& err) mutable {
                  finish({}, write_error.empty() ? render(err) : write_error);
                });
      };
      auto& store = self->state.env.store;
      // A real write proves the database is writable right now.
      write_request probe{{storage::upsert_setting(
        "health.last_check", json(iso8601(now_ms())).dump())}};
      self->request(store, std::chrono::seconds(30), atom::write_v, probe)
        .then([with_stats](const write_ack&) mutable { with_stats(""); },
              [with_stats](const caf::error& err) mutable {
                with_stats(render(err));
              });
      return self->state.run.promise();
    },
    [](atom::progress) { return std::string{"{}"}; },
  };
}

} // namespace discotheque
