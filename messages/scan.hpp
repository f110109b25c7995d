// Messages between the local scan's actors: the walker, the tag readers and
// the scan task (see actors/tasks/scan_local_library.hpp).
#pragma once

#include "messages/library.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace discotheque {

/// A file found by the walker: what stat() said about it.
struct scan_file {
  std::string path;
  int64_t size = 0;
  int64_t mtime = 0; ///< nanoseconds since the epoch
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, scan_file& x) {
  return f(caf::meta::type_name("scan_file"), x.path, x.size, x.mtime);
}

/// A file the scan could not read, and why.
struct scan_error_dto {
  std::string path;
  std::string reason;
  int64_t size = 0;
  int64_t mtime = 0;
  /// The error may go away by itself (permission denied, I/O error): the
  /// next scan reads the file again even when size and mtime are the same.
  bool transient = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, scan_error_dto& x) {
  return f(caf::meta::type_name("scan_error_dto"), x.path, x.reason, x.size,
           x.mtime, x.transient);
}

/// What the walker is asked to walk.
struct walk_request {
  std::vector<std::string> roots;
  std::string data_dir; ///< never scanned
  std::string db_path;  ///< read-only: known files and folder hashes
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, walk_request& x) {
  return f(caf::meta::type_name("walk_request"), x.roots, x.data_dir,
           x.db_path);
}

/// The walker's answer: what must be read, what disappeared.
struct walk_result {
  std::vector<scan_file> to_read;       ///< new or changed files
  std::vector<std::string> gone;        ///< known track paths not on disk
  std::vector<std::string> gone_errors; ///< scan_errors paths not on disk
  /// The paths of to_read that have a scan error recorded: the ones whose
  /// error is forgotten when they read fine (empty on a cold scan).
  std::vector<std::string> error_paths;
  std::vector<std::string> folder_paths;  ///< changed folders, to record...
  std::vector<std::string> folder_hashes; ///< ...with these hashes
  std::vector<std::string> gone_folders;
  int64_t files_seen = 0;
  int64_t files_unchanged = 0;
  int64_t folders_seen = 0;
  int64_t folders_skipped = 0;
  /// Known files under no configured music folder: left as they are.
  int64_t files_outside_roots = 0;
  /// Configured music folders that are missing or cannot be listed: nothing
  /// under them is marked gone, and the scan fails naming them.
  std::vector<std::string> unavailable_roots;
  std::vector<std::string> warnings; ///< unreadable folders, loops
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, walk_result& x) {
  return f(caf::meta::type_name("walk_result"), x.to_read, x.gone,
           x.gone_errors, x.error_paths, x.folder_paths, x.folder_hashes,
           x.gone_folders, x.files_seen, x.files_unchanged, x.folders_seen,
           x.folders_skipped, x.files_outside_roots, x.unavailable_roots,
           x.warnings);
}

/// A tag reader's answer for one chunk of files.
struct read_result {
  std::vector<track_dto> tracks;
  std::vector<scan_error_dto> errors;
  int64_t opened = 0;
  /// Indexes into `tracks` of files with an album but no album artist tag
  /// (their track artist stands in): the folder rule may correct those.
  std::vector<int32_t> no_album_artist;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, read_result& x) {
  return f(caf::meta::type_name("read_result"), x.tracks, x.errors, x.opened,
           x.no_album_artist);
}

} // namespace discotheque
