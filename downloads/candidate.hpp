// The download worker's pure model (no actors, SQLite or HTTP): what a peer
// offers, what the library wants, the user's preferences, and the hard gates
// every offered file passes before it is scored. A gate is a reason a file is
// never taken: another artist's file, another album's folder, a live or remix
// take of a studio title, a length off by more than the tolerance, a format
// the user did not allow, a locked or blocklisted file.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace discotheque::downloads {

/// One file a peer offers (a slskd search response's file with the
/// response's peer attributes). Unknown numbers are 0.
struct peer_file {
  std::string username;
  /// The remote full path, verbatim (backslashes): the enqueue needs it so.
  std::string filename;
  int64_t size = 0;
  /// Lower case, without the dot; derived from the filename when the peer
  /// sent none.
  std::string extension;
  int bitrate_kbps = 0;
  int bit_depth = 0;
  int sample_rate = 0;
  bool variable_bitrate = false;
  int length_s = 0;
  bool locked = false;
  bool free_slot = false;
  int64_t queue_length = 0;
  int64_t upload_speed = 0; ///< bytes/s
};

/// A track the library wants on disk.
struct wanted_track {
  int64_t track_id = 0;
  std::string artist;       ///< the track's main artist
  std::string album_artist; ///< may be "Various Artists"
  std::string album;        ///< empty: unknown
  std::string title;
  int track_number = 0;
  int disc_number = 0;
  int year = 0;
  int64_t duration_ms = 0; ///< 0: unknown
  /// Other names of the artist (MusicBrainz aliases, other spellings).
  std::vector<std::string> artist_aliases;
};

/// One entry of `downloads.formats`: "flac 24/96", "flac", "mp3 320",
/// "mp3 v0", "mp3".
struct format_spec {
  std::string extension;
  int min_bitrate_kbps = 0; ///< "mp3 320"
  bool vbr = false;         ///< "mp3 v0"
  int bit_depth = 0;        ///< "flac 24/96"
  int sample_rate = 0;      ///< "flac 24/96" -> 96000
};

/// Parses one formats entry; nullopt when it is not understood.
std::optional<format_spec> parse_format(const std::string& text);

struct preferences {
  /// Preference order, best first; a file that satisfies none is not
  /// allowed.
  std::vector<format_spec> formats;
  int min_bitrate_kbps = 0; ///< lossy files reporting less are refused
  int duration_tolerance_s = 5;

  /// flac, mp3 320, mp3 v0, mp3; 5 s; no minimum.
  static preferences defaults();
  /// From the config strings; entries not understood are skipped (and
  /// returned in `ignored`).
  static preferences from(const std::vector<std::string>& formats,
                          int min_bitrate_kbps, int duration_tolerance_s,
                          std::vector<std::string>* ignored = nullptr);
};

/// The (user, remote file) pairs that failed or were rejected, for good.
using blocklist = std::set<std::pair<std::string, std::string>>;

/// The extension of a remote path ("A\\B\\01 x.FLAC" -> "flac").
std::string extension_of(const std::string& remote_path);

/// The remote path split at its backslashes (and slashes).
std::vector<std::string> path_parts(const std::string& remote_path);

/// The remote directory of a file (everything before its last separator).
std::string directory_of(const std::string& remote_path);

/// Index into prefs.formats of the best entry the file satisfies; nullopt:
/// not allowed. Lower is better.
std::optional<size_t> quality_rank(const peer_file& f,
                                   const preferences& prefs);

/// Why a file can never be taken for the track; empty: it passes every gate.
/// Gates, in order: locked, format, min bitrate, artist (in the path,
/// normalized; aliases; for a Various Artists album the track artist),
/// title (in the file name), album (in the album folder, when known),
/// version words (live, remix, edit, ... in the file or folder name but not
/// in the wanted title or album), duration (when both are known).
std::string gate(const peer_file& f, const wanted_track& t,
                 const preferences& prefs);

} // namespace discotheque::downloads
