#include "storage/queries/providers.hpp"

namespace discotheque::storage {

provider_record read_provider(database& db, const std::string& provider,
                              int64_t errors_since) {
  provider_record r;
  r.status.provider = provider;
  auto st = db.prepare(
    "SELECT breaker_state, consecutive_failures, opened_at, blocked_until,"
    " last_success_at, last_error FROM provider_state WHERE provider = ?1");
  st.bind(1, std::string_view{provider});
  if (st.step()) {
    r.has_state = true;
    r.status.breaker_state = st.text(0);
    r.status.consecutive_failures = static_cast<int32_t>(st.int64(1));
    r.status.opened_at = st.opt_int64(2).value_or(0);
    r.status.blocked_until = st.opt_int64(3).value_or(0);
    r.status.last_success_at = st.opt_int64(4).value_or(0);
    r.status.last_error = st.opt_text(5).value_or("");
  }
  auto errs = db.prepare(
    "SELECT at FROM provider_errors WHERE provider = ?1 AND at >= ?2"
    " ORDER BY at");
  errs.bind(1, std::string_view{provider});
  errs.bind(2, errors_since);
  while (errs.step())
    r.errors.push_back(errs.int64(0));
  auto tok = db.prepare("SELECT access_token, refresh_token, expires_at"
                        " FROM provider_tokens WHERE provider = ?1");
  tok.bind(1, std::string_view{provider});
  if (tok.step()) {
    auto access = tok.opt_text(0);
    auto refresh = tok.opt_text(1);
    r.has_tokens = access.has_value() || refresh.has_value();
    r.access_token = access.value_or("");
    r.refresh_token = refresh.value_or("");
    r.expires_at = tok.opt_int64(2).value_or(0);
  }
  auto prefix = "providers." + provider + ".";
  auto set = db.prepare("SELECT key, value FROM settings"
                        " WHERE substr(key, 1, length(?1)) = ?1");
  set.bind(1, std::string_view{prefix});
  while (set.step())
    r.settings.emplace(set.text(0).substr(prefix.size()), set.text(1));
  return r;
}

provider_record load_provider(const std::filesystem::path& db_path,
                              const std::string& provider, int64_t errors_since,
                              std::string* error) {
  provider_record r;
  r.status.provider = provider;
  if (db_path.empty() || !std::filesystem::exists(db_path))
    return r;
  try {
    auto db = database::open(db_path, database::mode::read_only);
    return read_provider(db, provider, errors_since);
  } catch (const std::exception& e) {
    if (error)
      *error = e.what();
  }
  return r;
}

std::vector<breaker_row> read_breaker_states(database& db) {
  std::vector<breaker_row> rows;
  auto st = db.prepare("SELECT provider, breaker_state FROM provider_state");
  while (st.step())
    rows.push_back(breaker_row{st.text(0), st.text(1)});
  return rows;
}

bool read_auto_queue(database& db) {
  auto v = db.query_text(
    "SELECT value FROM settings WHERE key = 'library.auto_queue_downloads'");
  return v && *v == "true";
}

} // namespace discotheque::storage
