// Named write builders of the local scan: its error list and its folder
// hashes. Each returns a write_request for the store actor; the scan joins
// several into one transaction with append().
#pragma once

#include "messages/scan.hpp"
#include "messages/types.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace discotheque::storage::writes {

/// Records (or replaces) why each file could not be read; `now_ms` becomes
/// their seen_at.
write_request record_scan_errors(const std::vector<scan_error_dto>& errors,
                                 int64_t now_ms);

// The three builders below take their lists by value: pass them with
// std::move and the strings move into the statements' parameters (no
// copy), 64 rows per multi-row statement.

/// Forgets the scan errors of `paths` (gone, or readable again).
write_request forget_scan_errors(std::vector<std::string> paths);

/// Records the hash of each folder (`paths[i]` has `hashes[i]`).
write_request record_scan_folders(std::vector<std::string> paths,
                                  std::vector<std::string> hashes,
                                  int64_t now_ms);

/// Forgets the folders of `paths`.
write_request forget_scan_folders(std::vector<std::string> paths);

/// Moves the statements of `from` to the end of `to`.
void append(write_request& to, write_request from);

} // namespace discotheque::storage::writes
