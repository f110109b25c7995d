// The messages of the download worker (actors/downloads/): what its loader
// reads from the database for a run (the pending tracks in their order, the
// tracks a previous run left in `downloading`, the blocklist) and what its
// importer made of a finished file.
#pragma once

#include "downloads/candidate.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace discotheque::downloads {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wanted_track& x) {
  return f(caf::meta::type_name("wanted_track"), x.track_id, x.artist,
           x.album_artist, x.album, x.title, x.track_number, x.disc_number,
           x.year, x.duration_ms, x.artist_aliases);
}

} // namespace discotheque::downloads

namespace discotheque {

/// A track a previous run left in `downloading`, with the job it holds.
struct held_download {
  downloads::wanted_track track;
  std::string phase; ///< searching, transferring, importing
  std::string client;
  std::string username;
  std::string remote_path;
  std::string transfer_id;
  int64_t size = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, held_download& x) {
  return f(caf::meta::type_name("held_download"), x.track, x.phase, x.client,
           x.username, x.remote_path, x.transfer_id, x.size);
}

/// What one run of the worker starts from.
struct download_work {
  /// In the order they are worked on (asked for by hand first, then the
  /// longest pending).
  std::vector<downloads::wanted_track> pending;
  std::vector<held_download> held;
  /// The blocklist of the client: (user, remote file) pairs, as two
  /// columns of equal length.
  std::vector<std::string> blocked_users;
  std::vector<std::string> blocked_paths;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, download_work& x) {
  return f(caf::meta::type_name("download_work"), x.pending, x.held,
           x.blocked_users, x.blocked_paths);
}

/// A finished transfer to check and move into the music folder.
struct import_request {
  downloads::wanted_track track;
  /// The finished file where the client left it.
  std::string source_path;
  /// The first music folder; the file goes below it by `naming_pattern`.
  std::string music_dir;
  std::string naming_pattern;
  /// A wrong file is moved here (never deleted).
  std::string quarantine_dir;
  int64_t duration_tolerance_s = 5;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, import_request& x) {
  return f(caf::meta::type_name("import_request"), x.track, x.source_path,
           x.music_dir, x.naming_pattern, x.quarantine_dir,
           x.duration_tolerance_s);
}

/// What became of an import_request.
struct import_result {
  bool imported = false;
  /// Why the file was refused (or could not be moved): "" when imported.
  std::string reason;
  /// imported: the file in the music folder; refused: where it was
  /// quarantined ("" when it was not there at all).
  std::string path;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  /// The file's length and format as TagLib read them.
  int64_t duration_ms = 0;
  std::string extension;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, import_result& x) {
  return f(caf::meta::type_name("import_result"), x.imported, x.reason, x.path,
           x.size, x.mtime_ns, x.duration_ms, x.extension);
}

} // namespace discotheque
