#include "downloads/import.hpp"

#include "downloads/naming.hpp"
#include "downloads/text.hpp"
#include "scan/tags.hpp"

#include <sys/stat.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <system_error>

namespace discotheque::downloads {

namespace fs = std::filesystem;

namespace {

bool same_words(const std::string& a, const std::string& b) {
  return has_words(a, b) || has_words(b, a);
}

std::string clock_of(int64_t ms) {
  auto s = ms / 1000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(s / 60),
                static_cast<long long>(s % 60));
  return buf;
}

bool taken(const fs::path& p) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(p, ec));
}

} // namespace

std::string tag_mismatch(const wanted_track& t, const std::string& tag_artist,
                         const std::string& tag_title) {
  if (!tag_artist.empty()) {
    auto got = artist_words(tag_artist);
    bool ok = got.empty() || same_words(got, artist_words(t.artist))
              || same_words(got, artist_words(t.album_artist));
    for (const auto& a : t.artist_aliases)
      ok = ok || same_words(got, artist_words(a));
    if (!ok)
      return "tagged as artist '" + tag_artist + "'";
  }
  if (!tag_title.empty()) {
    auto got = title_words(tag_title);
    if (!got.empty() && !same_words(got, title_words(t.title)))
      return "tagged as title '" + tag_title + "'";
  }
  return {};
}

bool move_file(const fs::path& from, const fs::path& to, std::string& error) {
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  if (ec) {
    error = "cannot create " + to.parent_path().string() + ": " + ec.message();
    return false;
  }
  fs::rename(from, to, ec);
  if (!ec)
    return true;
  if (ec != std::errc::cross_device_link) {
    error = "cannot move " + from.string() + ": " + ec.message();
    return false;
  }
  // Another filesystem: copy, check, then remove the original.
  auto size = fs::file_size(from, ec);
  if (!ec)
    fs::copy_file(from, to, ec);
  if (!ec && fs::file_size(to, ec) != size && !ec)
    ec = std::make_error_code(std::errc::io_error);
  if (ec) {
    std::error_code ignore;
    fs::remove(to, ignore);
    error = "cannot copy " + from.string() + ": " + ec.message();
    return false;
  }
  fs::remove(from, ec);
  return true;
}

import_result import_file(const import_request& req) {
  import_result out;
  fs::path src{req.source_path};
  struct stat st {};
  if (::stat(src.c_str(), &st) != 0) {
    out.reason = "the finished file is not in the downloads folder ("
                 + src.string() + ")";
    return out;
  }
  const auto& t = req.track;
  auto quarantine = [&](std::string why) {
    out.reason = std::move(why);
    auto name = std::to_string(t.track_id) + " - " + src.filename().string();
    auto dest = free_path(fs::path{req.quarantine_dir} / safe_name(name),
                          [](const fs::path& p) { return taken(p); });
    std::string error;
    if (move_file(src, dest, error))
      out.path = dest.string();
    else
      out.reason += "; " + error;
    return out;
  };
  if (st.st_size == 0)
    return quarantine("an empty file");
  auto read = scan::read_tags(src.string(), static_cast<int64_t>(st.st_size),
                              0);
  if (!read.ok)
    return quarantine("not readable audio: " + read.error);
  out.duration_ms = read.track.duration_ms;
  auto ext = src.extension().string();
  if (!ext.empty() && ext[0] == '.')
    ext.erase(0, 1);
  for (auto& c : ext)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  out.extension = ext;
  if (t.duration_ms > 0
      && std::llabs(read.track.duration_ms - t.duration_ms)
           > req.duration_tolerance_s * 1000)
    return quarantine("its length is " + clock_of(read.track.duration_ms)
                      + ", the track's " + clock_of(t.duration_ms));
  std::string tag_artist;
  if (!read.track.artists.empty())
    tag_artist = read.track.artists.front().name;
  if (auto why = tag_mismatch(t, tag_artist, read.track.title); !why.empty())
    return quarantine("its tags name another track: " + why);
  auto pattern = req.naming_pattern.empty()
                   ? std::string{default_naming_pattern}
                   : req.naming_pattern;
  auto dest = free_path(fs::path{req.music_dir} / library_path(pattern, t, ext),
                        [](const fs::path& p) { return taken(p); });
  std::string error;
  if (!move_file(src, dest, error)) {
    out.reason = error;
    return out;
  }
  struct stat moved {};
  if (::stat(dest.c_str(), &moved) != 0) {
    out.reason = "the imported file vanished: " + dest.string();
    return out;
  }
  out.imported = true;
  out.path = dest.string();
  out.size = static_cast<int64_t>(moved.st_size);
  out.mtime_ns = static_cast<int64_t>(moved.st_mtim.tv_sec) * 1'000'000'000
                 + moved.st_mtim.tv_nsec;
  return out;
}

} // namespace discotheque::downloads
