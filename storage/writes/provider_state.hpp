// The writes of the cloud-provider layer: breaker state and failures
// (circuit breaker), blocked-until (gateway), OAuth tokens (token refresher,
// `discotheque auth`), and an entity's last provider error (sync tasks).
#pragma once

#include "messages/cloud.hpp"
#include "messages/types.hpp"

#include <cstdint>
#include <string>

namespace discotheque::storage {

/// Upserts `s` into provider_state (blocked_until is the gateway's: an
/// existing row keeps it).
write_request persist_provider_state(const provider_status& s);

/// Appends one failed call to provider_errors.
sql_stmt record_provider_error(const std::string& provider, int64_t at,
                               const std::string& message);

/// Sets provider_state.blocked_until (creating the row if needed).
write_request persist_blocked_until(const std::string& provider,
                                    int64_t blocked_until);

/// The provider_tokens upsert for the given values (an empty scope keeps the
/// stored one).
write_request persist_tokens(const std::string& provider,
                             const std::string& access,
                             const std::string& refresh, int64_t expires_at,
                             const std::string& scope);

/// The entity kinds that carry a per-provider id column.
enum class provider_entity { artist, album, track };

/// Records `error` as last_error of the `kind` row whose id at `provider`
/// is `provider_id` (a no-op until such a row exists).
write_request
record_entity_error(provider_entity kind, const std::string& provider,
                    const std::string& provider_id, const std::string& error);

} // namespace discotheque::storage
