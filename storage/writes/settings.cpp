#include "storage/writes/settings.hpp"

namespace discotheque::storage {

sql_stmt upsert_setting(const std::string& key, const std::string& value_json) {
  return sql_stmt{
    "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO "
    "UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    {sql_value::of(key), sql_value::of(value_json)}};
}

write_request set_task_settings(const std::string& task,
                                const task_settings_patch& patch) {
  write_request req;
  if (patch.set_enabled)
    req.statements.push_back(upsert_setting("tasks." + task + ".enabled",
                                            patch.enabled ? "true" : "false"));
  if (patch.set_interval)
    req.statements.push_back(upsert_setting(
      "tasks." + task + ".interval_seconds", std::to_string(patch.interval_s)));
  return req;
}

} // namespace discotheque::storage
