// Reading one audio file's tags with TagLib into a track_dto, in every
// format's real form (Vorbis comments, ID3v2 TXXX/UFID, MP4 freeform atoms,
// ASF descriptors), with the checks that turn a broken file into a reason.
#pragma once

#include "messages/library.hpp"

#include <string>
#include <string_view>

namespace discotheque::scan {

/// Whether the scan considers a file with this extension (lower case, with
/// the dot: ".flac") to be audio. Other files are ignored silently.
bool is_audio_extension(std::string_view ext);

struct read_outcome {
  bool ok = false;
  track_dto track;   ///< when ok (local_path, size and mtime filled in)
  std::string error; ///< when not ok: why, one line
};

/// Opens and reads one file. Never throws; a broken file is an outcome.
read_outcome read_tags(const std::string& path, int64_t size, int64_t mtime);

/// Limit for one tag value in bytes; longer values are cut.
constexpr size_t max_tag_bytes = 1024;

} // namespace discotheque::scan
