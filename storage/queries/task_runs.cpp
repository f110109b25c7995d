#include "storage/queries/task_runs.hpp"

#include "storage/database.hpp"

#include <nlohmann/json.hpp>

namespace discotheque::storage {

int64_t max_task_run_id(database& db) {
  return db.query_int("SELECT max(id) FROM task_runs").value_or(0);
}

std::vector<task_run_row> finished_task_runs(database& db) {
  std::vector<task_run_row> rows;
  auto st = db.prepare(
    "SELECT id, task, started_at, status, reason, error, stats, duration_ms "
    "FROM task_runs WHERE status != 'running' ORDER BY id");
  while (st.step()) {
    task_run_row r;
    r.id = st.int64(0);
    r.task = st.text(1);
    r.started_at = st.int64(2);
    if (!from_string(st.text(3), r.status))
      r.status = run_status::failed;
    from_string(st.opt_text(4).value_or(""), r.reason);
    r.error = st.opt_text(5).value_or("");
    r.stats_json = st.opt_text(6).value_or("{}");
    r.duration_ms = st.opt_int64(7).value_or(0);
    rows.push_back(std::move(r));
  }
  return rows;
}

std::map<std::string, task_settings> task_settings_of(database& db) {
  std::map<std::string, task_settings> result;
  auto s
    = db.prepare("SELECT key, value FROM settings WHERE key LIKE 'tasks.%'");
  while (s.step()) {
    auto key = s.text(0);
    auto value = nlohmann::json::parse(s.text(1), nullptr, false);
    auto dot = key.rfind('.');
    if (dot == std::string::npos || dot <= 6 || value.is_discarded())
      continue;
    auto task = key.substr(6, dot - 6);
    auto field = key.substr(dot + 1);
    if (field == "enabled" && value.is_boolean())
      result[task].enabled = value.get<bool>();
    else if (field == "interval_seconds" && value.is_number_integer())
      result[task].interval_s = value.get<int64_t>();
  }
  return result;
}

} // namespace discotheque::storage
