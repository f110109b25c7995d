#include "storage/writes/provider_state.hpp"

namespace discotheque::storage {

namespace {

sql_value opt_time(int64_t v) {
  return v > 0 ? sql_value::of(v) : sql_value::null();
}

} // namespace

write_request persist_provider_state(const provider_status& s) {
  return write_request{{sql_stmt{
    "INSERT INTO provider_state(provider, breaker_state, consecutive_failures,"
    " opened_at, blocked_until, last_success_at, last_error, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
    " CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))"
    " ON CONFLICT(provider) DO UPDATE SET breaker_state = "
    "excluded.breaker_state,"
    " consecutive_failures = excluded.consecutive_failures,"
    " opened_at = excluded.opened_at," // blocked_until is the gateway's
    " last_success_at = excluded.last_success_at,"
    " last_error = excluded.last_error, updated_at = excluded.updated_at",
    {sql_value::of(s.provider), sql_value::of(s.breaker_state),
     sql_value::of(static_cast<int64_t>(s.consecutive_failures)),
     opt_time(s.opened_at), opt_time(s.blocked_until),
     opt_time(s.last_success_at),
     s.last_error.empty() ? sql_value::null() : sql_value::of(s.last_error)}}}};
}

sql_stmt record_provider_error(const std::string& provider, int64_t at,
                               const std::string& message) {
  return sql_stmt{"INSERT INTO provider_errors(provider, at, message) VALUES "
                  "(?1, ?2, ?3)",
                  {sql_value::of(provider), sql_value::of(at),
                   sql_value::of(message)}};
}

write_request persist_blocked_until(const std::string& provider,
                                    int64_t blocked_until) {
  return write_request{{sql_stmt{
    "INSERT INTO provider_state(provider, blocked_until) VALUES (?1, ?2)"
    " ON CONFLICT(provider) DO UPDATE SET blocked_until = "
    "excluded.blocked_until",
    {sql_value::of(provider), sql_value::of(blocked_until)}}}};
}

write_request persist_tokens(const std::string& provider,
                             const std::string& access,
                             const std::string& refresh, int64_t expires_at,
                             const std::string& scope) {
  return write_request{{sql_stmt{
    "INSERT INTO provider_tokens(provider, access_token, refresh_token,"
    " expires_at, scope, updated_at) VALUES (?1, ?2, ?3, ?4, ?5,"
    " CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))"
    " ON CONFLICT(provider) DO UPDATE SET access_token = excluded.access_token,"
    " refresh_token = excluded.refresh_token, expires_at = excluded.expires_at,"
    " scope = COALESCE(excluded.scope, provider_tokens.scope),"
    " updated_at = excluded.updated_at",
    {sql_value::of(provider), sql_value::of(access), sql_value::of(refresh),
     sql_value::of(expires_at),
     scope.empty() ? sql_value::null() : sql_value::of(scope)}}}};
}

write_request
record_entity_error(provider_entity kind, const std::string& provider,
                    const std::string& provider_id, const std::string& error) {
  for (char c : provider)
    if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_')
      return {}; // not a column name: nothing to record
  const char* table = kind == provider_entity::artist  ? "artists"
                      : kind == provider_entity::album ? "albums"
                                                       : "tracks";
  // The schema has one id column per provider: spotify_id, deezer_id, ...
  return write_request{
    {sql_stmt{std::string{"UPDATE "} + table + " SET last_error = ?1 WHERE "
                + provider + "_id = ?2",
              {sql_value::of(error), sql_value::of(provider_id)}}}};
}

} // namespace discotheque::storage
