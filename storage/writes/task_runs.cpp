#include "storage/writes/task_runs.hpp"

namespace discotheque::storage {

write_request start_task_run(int64_t id, const std::string& task,
                             int64_t started_at, const std::string& trigger) {
  auto stored = trigger == "schedule" || trigger == "manual"
                    || trigger == "command"
                  ? trigger
                  : std::string{"schedule"};
  return write_request{
    {sql_stmt{"INSERT INTO task_runs(id, task, started_at, status, trigger) "
              "VALUES (?1, ?2, ?3, 'running', ?4)",
              {sql_value::of(id), sql_value::of(task),
               sql_value::of(started_at), sql_value::of(stored)}}}};
}

write_request finish_task_run(int64_t id, const task_result& r,
                              int64_t duration_ms) {
  auto reason = to_string(r.reason);
  return write_request{{sql_stmt{
    "UPDATE task_runs SET finished_at = ?1, status = ?2, success = ?3, "
    "reason = ?4, error = ?5, stats = ?6, duration_ms = ?7 WHERE id = ?8",
    {sql_value::of(r.finished_at), sql_value::of(to_string(r.status)),
     sql_value::of(int64_t{r.status == run_status::succeeded}),
     reason.empty() ? sql_value::null() : sql_value::of(reason),
     r.error.empty() ? sql_value::null() : sql_value::of(r.error),
     sql_value::of(r.stats_json), sql_value::of(duration_ms),
     sql_value::of(id)}}}};
}

write_request fail_interrupted_task_runs() {
  return write_request{{sql_stmt{
    "UPDATE task_runs SET status = 'failed', success = 0, "
    "error = 'interrupted: the service stopped during the run', "
    "finished_at = coalesce(finished_at, started_at) WHERE status = 'running'",
    {}}}};
}

} // namespace discotheque::storage
