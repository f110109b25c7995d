#include "downloads/candidate.hpp"

#include "downloads/text.hpp"
#include "library/normalize.hpp"

#include <cstdlib>

namespace discotheque::downloads {

namespace {

bool lossless(const std::string& ext) {
  return ext == "flac" || ext == "wav" || ext == "aiff" || ext == "aif"
         || ext == "alac" || ext == "ape" || ext == "wv";
}

bool satisfies(const peer_file& f, const format_spec& s) {
  if (f.extension != s.extension)
    return false;
  if (s.min_bitrate_kbps > 0
      && (f.bitrate_kbps == 0 || f.bitrate_kbps < s.min_bitrate_kbps))
    return false;
  if (s.vbr && !f.variable_bitrate)
    return false;
  if (s.bit_depth > 0 && f.bit_depth < s.bit_depth)
    return false;
  if (s.sample_rate > 0 && f.sample_rate < s.sample_rate)
    return false;
  return true;
}

// The words that make another take of a recording.
const char* const version_words[]
  = {"live",    "remix", "rmx",     "edit",      "instrumental", "acoustic",
     "karaoke", "demo",  "bootleg", "unplugged", "extended",     "reprise"};

} // namespace

std::optional<format_spec> parse_format(const std::string& text) {
  auto words = split_words(library::lower_ascii(text));
  if (words.empty())
    return std::nullopt;
  format_spec s;
  s.extension = words[0];
  for (char c : s.extension)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
      return std::nullopt;
  if (words.size() == 1)
    return s;
  if (words.size() > 2)
    return std::nullopt;
  const auto& q = words[1];
  if (q == "v0" || q == "vbr") {
    s.vbr = true;
    return s;
  }
  if (auto slash = q.find('/'); slash != std::string::npos) {
    auto depth = std::atoi(q.substr(0, slash).c_str());
    auto rate = std::atof(q.substr(slash + 1).c_str());
    if (depth <= 0 || rate <= 0)
      return std::nullopt;
    s.bit_depth = depth;
    // "24/96" in kHz, "24/44.1" too; a plain Hz number stays as it is.
    s.sample_rate = rate < 1000 ? static_cast<int>(rate * 1000 + 0.5)
                                : static_cast<int>(rate);
    return s;
  }
  auto kbps = std::atoi(q.c_str());
  if (kbps <= 0)
    return std::nullopt;
  s.min_bitrate_kbps = kbps;
  return s;
}

preferences preferences::defaults() {
  return from({"flac", "mp3 320", "mp3 v0", "mp3"}, 0, 5);
}

preferences preferences::from(const std::vector<std::string>& formats,
                              int min_bitrate_kbps, int duration_tolerance_s,
                              std::vector<std::string>* ignored) {
  preferences p;
  for (const auto& f : formats) {
    if (auto s = parse_format(f))
      p.formats.push_back(*s);
    else if (ignored)
      ignored->push_back(f);
  }
  p.min_bitrate_kbps = min_bitrate_kbps;
  p.duration_tolerance_s = duration_tolerance_s;
  return p;
}

std::vector<std::string> path_parts(const std::string& remote_path) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : remote_path) {
    if (c == '\\' || c == '/') {
      if (!cur.empty())
        parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty())
    parts.push_back(cur);
  return parts;
}

std::string directory_of(const std::string& remote_path) {
  auto pos = remote_path.find_last_of("\\/");
  return pos == std::string::npos ? std::string{} : remote_path.substr(0, pos);
}

std::string extension_of(const std::string& remote_path) {
  auto parts = path_parts(remote_path);
  if (parts.empty())
    return {};
  auto dot = parts.back().rfind('.');
  if (dot == std::string::npos || dot == 0)
    return {};
  return library::lower_ascii(parts.back().substr(dot + 1));
}

std::optional<size_t> quality_rank(const peer_file& f,
                                   const preferences& prefs) {
  for (size_t i = 0; i < prefs.formats.size(); ++i)
    if (satisfies(f, prefs.formats[i]))
      return i;
  return std::nullopt;
}

std::string gate(const peer_file& f, const wanted_track& t,
                 const preferences& prefs) {
  if (f.locked)
    return "locked";
  if (!quality_rank(f, prefs))
    return "format not allowed";
  if (prefs.min_bitrate_kbps > 0 && !lossless(f.extension) && f.bitrate_kbps > 0
      && f.bitrate_kbps < prefs.min_bitrate_kbps)
    return "bitrate below minimum";
  auto names = file_names_of(f.filename);
  // The artist is a requirement, never a bonus (crate#2): the track artist,
  // the album artist unless it is "Various Artists", or an alias.
  bool artist = has_words(names.path, artist_words(t.artist));
  if (!artist && !t.album_artist.empty()
      && !library::is_various_artists(t.album_artist))
    artist = has_words(names.path, artist_words(t.album_artist));
  for (const auto& a : t.artist_aliases)
    artist = artist || has_words(names.path, artist_words(a));
  if (!artist)
    return "artist does not match";
  if (!has_words(names.file, title_words(t.title)))
    return "title does not match";
  if (!t.album.empty() && !has_words(names.album, title_words(t.album)))
    return "album does not match";
  auto wanted = title_words(t.title) + " " + title_words(t.album);
  for (const char* w : version_words) {
    bool offered = has_words(names.file, w) || has_words(names.album, w);
    if (offered && !has_words(wanted, w))
      return std::string{"another version ("} + w + ")";
  }
  if (f.length_s > 0 && t.duration_ms > 0) {
    auto diff = std::llabs(int64_t{f.length_s} * 1000 - t.duration_ms);
    // Peers report whole seconds: half a second of rounding is not drift.
    if (diff > int64_t{prefs.duration_tolerance_s} * 1000 + 500)
      return "duration off by " + std::to_string((diff + 500) / 1000) + " s";
  }
  return {};
}

} // namespace discotheque::downloads
