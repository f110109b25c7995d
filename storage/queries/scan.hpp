// The reads of the local scan: what the last scan recorded (files with their
// size and mtime, unreadable files, folder hashes), to compare a walk with.
#pragma once

#include "storage/database.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>

namespace discotheque::storage {

struct scan_known_file {
  int64_t size = -1; ///< -1 when unknown
  int64_t mtime = -1;
};

struct scan_known_error {
  int64_t size = -1;
  int64_t mtime = -1;
  bool transient = false; ///< read again even when unchanged
};

struct scan_known_state {
  std::unordered_map<std::string, scan_known_file> files; ///< by local_path
  std::unordered_map<std::string, scan_known_error> errors;
  std::unordered_map<std::string, std::string> folders; ///< path -> hash
};

/// Reads the tracks with a local file, the scan errors and the folder hashes.
scan_known_state read_scan_state(database& db);

/// Opens `db_path` read-only and reads it; throws on a database error.
scan_known_state load_scan_state(const std::filesystem::path& db_path);

} // namespace discotheque::storage
