// Reading one audio file's tags with TagLib into a track_dto, in every
// format's real form (Vorbis comments, ID3v2 TXXX/UFID, MP4 freeform atoms,
// ASF descriptors), with the checks that turn a broken file into a reason.
#pragma once

#include "messages/library.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace discotheque::scan {

/// Whether the scan considers a file with this extension (lower case, with
/// the dot: ".flac") to be audio. Other files are ignored silently.
bool is_audio_extension(std::string_view ext);

struct read_outcome {
  bool ok = false;
  track_dto track; ///< when ok (local_path, size and mtime filled in)
  /// When ok: the file names an album artist (else, when it has an album,
  /// the track's main artist stands in).
  bool album_artist_tagged = false;
  std::string error; ///< when not ok: why, one line
  /// When not ok: the error may go away without the file changing
  /// (permission denied, I/O error), so the next scan tries again.
  bool transient = false;
};

struct read_options {
  /// After this, reads of the file return nothing, so TagLib stops by
  /// itself (a huge file without frames held a reader for minutes), and
  /// the file is an error "took longer than N s".
  std::chrono::milliseconds max_file_time{30'000};
};

/// Opens and reads one file. Never throws; a broken file is an outcome.
read_outcome read_tags(const std::string& path, int64_t size, int64_t mtime,
                       const read_options& opts = {});

/// Limit for one tag value in bytes; longer values are cut.
constexpr size_t max_tag_bytes = 1024;

} // namespace discotheque::scan
