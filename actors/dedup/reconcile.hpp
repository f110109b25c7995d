// Reconcile: once a sync run is complete, the claims of (source, reason) it
// did not renew are released, and what lost its last claim goes back to
// discovered unless something owned still holds it (SPEC §4 cascade).
#pragma once

#include "messages/types.hpp"

#include <cstdint>
#include <string>

namespace discotheque::storage {
class database;
} // namespace discotheque::storage

namespace discotheque::dedup {

struct release_plan {
  /// The writes; empty when no claim is stale.
  write_request writes;
  /// The stale claims released.
  int64_t released = 0;
};

/// Reads the stale claims and what the cascade must look at from `db` (the
/// writes are not applied: they go to the store).
release_plan plan_release(storage::database& db, const std::string& source,
                          const std::string& reason, int64_t run_id);

} // namespace discotheque::dedup
