// Importing a finished download: the file is checked with TagLib (readable
// audio, its length within the tolerance of the track's, its tags, when
// present, not naming another artist or title), then moved into the music
// folder by the naming pattern (rename; across filesystems copy, verify the
// size, remove), never over another file. A wrong file is moved into the
// quarantine folder, never deleted. Blocking file work: the importer actor
// (actors/downloads/importer.hpp) runs it detached.
#pragma once

#include "messages/downloads.hpp"

#include <filesystem>
#include <string>

namespace discotheque::downloads {

/// Why the file's tags say it is another track ("" when they do not, or
/// when it has none): "tagged as artist X" / "tagged as title Y".
std::string tag_mismatch(const wanted_track& t, const std::string& tag_artist,
                         const std::string& tag_title);

/// Moves `from` to `to` (rename, or copy + size check + remove across
/// filesystems), creating `to`'s folder; false with `error` set when the
/// file stays where it was.
bool move_file(const std::filesystem::path& from,
               const std::filesystem::path& to, std::string& error);

/// Checks and moves the file of `req`. Never throws:
/// - imported: `path` is the file in the music folder, with its size and
///   mtime (ns) as the scan reads them;
/// - refused (a wrong file): `reason` says why, `path` is where it was
///   quarantined;
/// - not there or not movable: `reason` says why, `path` is empty (the
///   file is not to blame: its source is not blocklisted).
import_result import_file(const import_request& req);

} // namespace discotheque::downloads
