#include "storage/writes/settings.hpp"

namespace discotheque::storage {

sql_stmt upsert_setting(const std::string& key, const std::string& value_json) {
  return sql_stmt{
    "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO "
    "UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    {sql_value::of(key), sql_value::of(value_json)}};
}

sql_stmt delete_setting(const std::string& key) {
  return sql_stmt{"DELETE FROM settings WHERE key = ?1", {sql_value::of(key)}};
}

sql_stmt replace_refresh_token(const std::string& provider,
                               const std::string& refresh_token) {
  if (refresh_token.empty())
    return sql_stmt{"DELETE FROM provider_tokens WHERE provider = ?1",
                    {sql_value::of(provider)}};
  return sql_stmt{
    "INSERT INTO provider_tokens(provider, access_token, refresh_token,"
    " expires_at, updated_at) VALUES (?1, NULL, ?2, NULL,"
    " CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))"
    " ON CONFLICT(provider) DO UPDATE SET access_token = NULL,"
    " refresh_token = excluded.refresh_token, expires_at = NULL,"
    " updated_at = excluded.updated_at",
    {sql_value::of(provider), sql_value::of(refresh_token)}};
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
