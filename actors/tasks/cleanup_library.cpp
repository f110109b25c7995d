#include "actors/tasks/cleanup_library.hpp"

#include "messages/error.hpp"
#include "storage/writes/cleanup.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

namespace discotheque {

using nlohmann::json;

json cleanup_stats(const std::vector<std::string>& names,
                   const write_ack& ack) {
  json stats = json::object();
  int64_t changed = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    const auto& name = names[i];
    auto dot = name.find('.');
    if (name.empty() || dot == std::string::npos)
      continue;
    int64_t n = i < ack.changes.size() ? ack.changes[i] : 0;
    stats[name.substr(0, dot)][name.substr(dot + 1)] = n;
    changed += n;
  }
  stats["changed"] = changed;
  return stats;
}

task_actor::behavior_type
cleanup_library(task_actor::stateful_pointer<cleanup_library_state> self,
                task_env env) {
  self->state.env = std::move(env);
  self->state.log = log::get("cleanup_library");
  return {
    [self](atom::run, const task_request& req) -> caf::result<task_result> {
      auto& st = self->state;
      if (!st.run.begin(self, req))
        return st.run.refusal();
      auto plan = storage::writes::cleanup_library(now_ms());
      self
        ->request(st.env.store, std::chrono::minutes(5), atom::write_v,
                  std::move(plan.req))
        .then(
          [self, names = std::move(plan.names)](const write_ack& ack) {
            auto& st = self->state;
            auto stats = cleanup_stats(names, ack);
            st.log->info("cleanup: {}", stats.dump());
            auto r = st.run.result(run_status::succeeded);
            r.stats_json = stats.dump();
            st.run.finish(std::move(r));
          },
          [self](const caf::error& err) {
            self->state.log->error("cleanup failed: {}", render(err));
            self->state.run.finish(err);
          });
      return st.run.promise();
    },
    [](atom::progress) { return std::string{"{}"}; },
  };
}

} // namespace discotheque
