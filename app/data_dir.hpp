// The data folder: created private (0700, files 0600, since the database and
// its WAL hold provider tokens), checked writable, and locked for one process
// at a time (a second `serve` or `run` on the same folder would run the same
// syncs twice and un-own tracks the other one just claimed).
#pragma once

#include "config/config.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace discotheque {

/// Creates `dir` (mode 0700) if missing, probes that it is writable (a full
/// disk says so), and makes Discotheque's own files in it private: the data
/// folder itself when it is Discotheque's (empty or holding
/// discotheque.db), and discotheque.db, -wal, -shm, api_key, the lock file
/// and everything under images/. Returns the paths whose mode it changed.
/// Throws config_error.
std::vector<std::filesystem::path>
prepare_data_dir(const std::filesystem::path& dir);

/// An exclusive lock on a data folder (flock on <dir>/discotheque.lock, which
/// holds the owner's pid), released when the object is destroyed or the
/// process ends, however it ends.
class data_dir_lock {
public:
  /// Takes the lock or throws config_error naming the pid that holds it.
  explicit data_dir_lock(const std::filesystem::path& dir);
  ~data_dir_lock();
  data_dir_lock(const data_dir_lock&) = delete;
  data_dir_lock& operator=(const data_dir_lock&) = delete;

private:
  int fd_ = -1;
};

} // namespace discotheque
