// Where an imported file goes: `downloads.naming_pattern` filled from the
// track, every path part made safe for every filesystem, a free name when
// the place is taken (never overwrite), and the retry schedule of failed
// tracks.
#pragma once

#include "downloads/candidate.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace discotheque::downloads {

/// The default pattern: "{album_artist}/{album} ({year})/{track} - {title}".
/// Placeholders: {artist} {album_artist} {album} {year} {track} (two digits)
/// {disc} {title}; the extension is appended. An empty value drops its
/// brackets ("Album ()" -> "Album"); a missing album artist is the artist.
extern const char* const default_naming_pattern;

/// One path part safe on ext4, NTFS, FAT and SMB shares: no / \ : * ? " < >
/// | or control characters (each becomes "_"), no trailing dots or spaces,
/// no reserved DOS names (CON, NUL, COM1 ...), at most 180 bytes of valid
/// UTF-8, never empty, never "." or "..".
std::string safe_name(std::string_view part);

/// The relative path of the track's file (`ext` without the dot).
std::filesystem::path library_path(const std::string& pattern,
                                   const wanted_track& t,
                                   const std::string& ext);

/// `wanted`, or "<stem> (2)<ext>", "(3)" ... the first that `exists` says
/// is free.
std::filesystem::path
free_path(const std::filesystem::path& wanted,
          const std::function<bool(const std::filesystem::path&)>& exists);

/// Milliseconds until a track failed for the `failures`-th time goes back
/// to pending: 1 h, 6 h, 24 h, 7 days; nullopt after the fourth retry (it
/// stays failed until the user retries).
std::optional<int64_t> retry_delay_ms(int failures);

} // namespace discotheque::downloads
