// The writes of the cleanup_library task, exactly SPEC §4. Never a DELETE,
// never a row that is merely incomplete (no MBID, no cover, no ISRC, an
// artist without albums, anything not owned): only owned rows that nothing
// holds any more go back to discovered, broken references are cleared, old
// failed downloads reset. One write_request, its statements in the order
// below; `names` says which scenario counter each statement's change count
// goes to ("scenario.counter").
#pragma once

#include "messages/types.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace discotheque::storage::writes {

struct cleanup_plan {
  write_request req;
  /// One per statement of `req` ("" for one that counts nothing).
  std::vector<std::string> names;
};

/// How long a failed download stays failed before it becomes not_needed.
inline constexpr int64_t failed_download_days = 7;

/// Scenarios, in order: 4 referential orphans (artist or album reference to
/// a missing row set null, the track marked orphaned, re-attached by ISRC
/// or by its main credit), 5 downloads failed for more than 7 days ->
/// not_needed, 1 artists the user deleted (their owned albums and tracks
/// without a claim -> discovered), 2 albums the user deleted (their tracks,
/// then their artists when nothing owned holds them), 3 unliked tracks
/// (owned tracks without any claim, then their albums and artists when
/// nothing holds them). Ends with an ownership_changes row so that the
/// dedup store reloads its owned flags.
cleanup_plan cleanup_library(int64_t now_ms);

} // namespace discotheque::storage::writes
