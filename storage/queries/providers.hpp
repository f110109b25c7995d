// The reads of the cloud-provider layer: what a provider's actors start
// from (breaker state, recent failures, tokens) and what the status
// snapshot shows. Read-only connections only (the store is the writer).
#pragma once

#include "messages/cloud.hpp"
#include "storage/database.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace discotheque::storage {

/// One provider's persisted rows.
struct provider_record {
  /// provider_state (defaults when there is no row).
  provider_status status;
  bool has_state = false;
  /// provider_errors.at since the `errors_since` given, oldest first.
  std::vector<int64_t> errors;
  /// provider_tokens ("" for NULL); `has_tokens`: a row with a non-NULL
  /// access or refresh token.
  std::string access_token;
  std::string refresh_token;
  int64_t expires_at = 0;
  bool has_tokens = false;
  /// The settings rows providers.NAME.FIELD (credentials, enablement set
  /// through the settings API): FIELD -> JSON text.
  std::map<std::string, std::string> settings;
};

/// Reads the rows of `provider`.
provider_record read_provider(database& db, const std::string& provider,
                              int64_t errors_since);

/// Opens `db_path` read-only and reads `provider`; a missing database or a
/// read error gives the defaults (and the error's text in `error`).
provider_record load_provider(const std::filesystem::path& db_path,
                              const std::string& provider, int64_t errors_since,
                              std::string* error);

/// One provider_state row's circuit breaker, as the health check shows it.
struct breaker_row {
  std::string provider;
  std::string breaker_state;
};

/// Every provider_state row's breaker (table order).
std::vector<breaker_row> read_breaker_states(database& db);

/// `library.auto_queue_downloads` is "true" (false when unset).
bool read_auto_queue(database& db);

} // namespace discotheque::storage
