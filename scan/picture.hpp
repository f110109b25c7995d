// The cover picture embedded in an audio file (ID3v2 APIC, FLAC and
// Vorbis/Opus METADATA_BLOCK_PICTURE, MP4 covr), for enrich_images' local
// step. Plain code: TagLib, no actors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace discotheque::scan {

struct embedded_picture {
  std::string data;      ///< the image bytes as stored
  std::string mime_type; ///< as the tag says ("" when it does not)
};

/// The front cover of `path` (else its first picture), or nothing: not an
/// audio file TagLib reads, no picture, or one larger than `max_bytes`
/// (`too_large` is then set, so the caller can say why).
std::optional<embedded_picture>
read_embedded_picture(const std::string& path, int64_t max_bytes,
                      bool* too_large = nullptr);

} // namespace discotheque::scan
