#include "scan/tags.hpp"

#include "library/normalize.hpp"

#include <taglib/fileref.h>
#include <taglib/tdebuglistener.h>
#include <taglib/tfile.h>
#include <taglib/tfilestream.h>
#include <taglib/tpropertymap.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>

namespace discotheque::scan {

using library::lower_ascii;
using library::repair_utf8;
using library::split_featured;

namespace {

/// TagLib prints parser complaints to stderr; broken files are our reported
/// outcome, not console noise.
struct quiet_listener : TagLib::DebugListener {
  void printMessage(const TagLib::String&) override {
  }
};

void silence_taglib() {
  static std::once_flag once;
  std::call_once(once, [] {
    static quiet_listener listener;
    TagLib::setDebugListener(&listener);
  });
}

/// A TagLib::FileStream whose reads return nothing once a deadline has
/// passed: TagLib takes that for the end of the file and stops by itself,
/// with no thread to kill.
class deadline_stream : public TagLib::IOStream {
public:
  deadline_stream(const std::string& path,
                  std::chrono::steady_clock::time_point deadline)
    : file_(path.c_str(), true), deadline_(deadline) {
    if (file_.isOpen())
      size_ = file_.length();
  }

  bool expired() const {
    return expired_;
  }

  /// A read returned less than asked before the end of the file: an I/O
  /// error (or a file still being written), not a broken file.
  bool short_read() const {
    return short_read_;
  }

  TagLib::FileName name() const override {
    return file_.name();
  }
  TagLib::ByteVector readBlock(unsigned long length) override {
    if (past_deadline())
      return {};
    auto pos = file_.tell();
    auto data = file_.readBlock(length);
    if (data.size() < length && pos >= 0
        && pos + static_cast<long>(data.size()) < size_)
      short_read_ = true;
    return data;
  }
  void writeBlock(const TagLib::ByteVector& data) override {
    file_.writeBlock(data);
  }
  void insert(const TagLib::ByteVector& data, unsigned long start,
              unsigned long replace) override {
    file_.insert(data, start, replace);
  }
  void removeBlock(unsigned long start, unsigned long length) override {
    file_.removeBlock(start, length);
  }
  bool readOnly() const override {
    return true;
  }
  bool isOpen() const override {
    return file_.isOpen();
  }
  void seek(long offset, Position p) override {
    file_.seek(offset, p);
  }
  void clear() override {
    file_.clear();
  }
  long tell() const override {
    return file_.tell();
  }
  long length() override {
    // Past the deadline the file looks empty, so searches from its end
    // (ID3v1, APE) end as well.
    return past_deadline() ? 0 : file_.length();
  }
  void truncate(long length) override {
    file_.truncate(length);
  }

private:
  bool past_deadline() {
    if (!expired_ && std::chrono::steady_clock::now() >= deadline_)
      expired_ = true;
    return expired_;
  }

  TagLib::FileStream file_;
  std::chrono::steady_clock::time_point deadline_;
  long size_ = 0;
  bool expired_ = false;
  bool short_read_ = false;
};

/// Why `path` cannot be opened, and whether that may pass by itself.
std::pair<std::string, bool> open_error(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f) {
    std::fclose(f);
    return {"cannot open file", false};
  }
  auto err = errno;
  bool transient = err == EACCES || err == EPERM || err == EIO || err == EAGAIN
                   || err == EINTR || err == ENOMEM || err == EMFILE
                   || err == ENFILE || err == ETIMEDOUT || err == ESTALE;
  return {std::string{"cannot open file: "} + std::strerror(err), transient};
}

/// What the first bytes say the file is ("" = no recognizable signature).
std::string sniff(const std::string& path) {
  unsigned char b[12] = {0};
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f)
    return "unopenable";
  auto n = std::fread(b, 1, sizeof(b), f);
  std::fclose(f);
  if (n < 4)
    return "";
  if (std::memcmp(b, "fLaC", 4) == 0)
    return "flac";
  if (std::memcmp(b, "OggS", 4) == 0)
    return "ogg";
  if (std::memcmp(b, "RIFF", 4) == 0)
    return "wav";
  if (std::memcmp(b, "FORM", 4) == 0)
    return "aiff";
  if (n >= 8 && std::memcmp(b + 4, "ftyp", 4) == 0)
    return "mp4";
  if (b[0] == 0x30 && b[1] == 0x26 && b[2] == 0xB2 && b[3] == 0x75)
    return "asf";
  if (std::memcmp(b, "ID3", 3) == 0)
    return "id3";
  return "";
}

/// Which signatures an extension may carry (ID3 may precede MPEG and FLAC).
bool plausible(const std::string& ext, const std::string& kind) {
  if (kind.empty() || kind == "unopenable")
    return true; // let TagLib decide
  if (ext == ".mp3" || ext == ".mp2")
    return kind == "id3";
  if (ext == ".flac")
    return kind == "flac" || kind == "id3";
  if (ext == ".ogg" || ext == ".oga" || ext == ".opus" || ext == ".spx")
    return kind == "ogg";
  if (ext == ".m4a" || ext == ".mp4" || ext == ".m4b" || ext == ".aac")
    return kind == "mp4";
  if (ext == ".wav")
    return kind == "wav";
  if (ext == ".aiff" || ext == ".aif")
    return kind == "aiff";
  if (ext == ".wma" || ext == ".asf")
    return kind == "asf";
  return true;
}

/// The first value of every property, keyed by the upper-case property
/// name. One pass over the map: PropertyMap::find() upper-cases and
/// allocates its key on every call, which costs more than the tag parse.
class tag_values {
public:
  explicit tag_values(const TagLib::PropertyMap& pm) {
    for (auto& [key, values] : pm)
      if (!values.isEmpty())
        values_.emplace_back(key.to8Bit(true), values.front());
  }
  std::string operator()(std::string_view key) const {
    for (auto& [k, v] : values_)
      if (k == key)
        return repair_utf8(v.to8Bit(true), max_tag_bytes);
    return {};
  }

private:
  std::vector<std::pair<std::string, TagLib::String>> values_;
};

/// "3/12" -> (3, 12); "" or garbage -> (0, 0).
std::pair<int32_t, int32_t> number_pair(const std::string& s) {
  int32_t a = 0, b = 0;
  std::sscanf(s.c_str(), "%d/%d", &a, &b);
  if (a < 0 || a > 100000)
    a = 0;
  if (b < 0 || b > 100000)
    b = 0;
  return {a, b};
}

std::string mbid_or_empty(std::string s) {
  s = lower_ascii(s);
  if (s.size() != 36)
    return {};
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i])))
      return {};
  }
  return s;
}

std::string isrc_or_empty(const std::string& s) {
  std::string r;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)))
      r += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r.size() == 12 ? r : std::string{};
}

/// "2001-07-03T00:00" -> "2001-07-03"; keeps YYYY[-MM[-DD]].
std::string release_date(const std::string& s) {
  size_t n = 0;
  while (n < s.size() && n < 10
         && (std::isdigit(static_cast<unsigned char>(s[n])) || s[n] == '-'))
    ++n;
  std::string d = s.substr(0, n);
  if (d.size() != 4 && d.size() != 7 && d.size() != 10)
    d = d.size() > 4 ? d.substr(0, 4) : std::string{};
  return d;
}

/// ID3v2 text frames whose UTF-8 payload is invalid come back from TagLib as
/// empty strings (and re-rendering the frame loses the bytes too): read the
/// frame straight from the file's ID3v2 header and repair it.
std::string raw_id3_text(const std::string& path, const char* frame_id) {
  std::ifstream in(path, std::ios::binary);
  unsigned char h[10];
  if (!in.read(reinterpret_cast<char*>(h), 10) || std::memcmp(h, "ID3", 3) != 0)
    return {};
  int version = h[3];
  size_t size = (size_t(h[6] & 0x7F) << 21) | (size_t(h[7] & 0x7F) << 14)
                | (size_t(h[8] & 0x7F) << 7) | size_t(h[9] & 0x7F);
  if (size > (1u << 20) || (version != 3 && version != 4))
    return {};
  std::string tag(size, '\0');
  if (!in.read(tag.data(), static_cast<std::streamsize>(size)))
    return {};
  for (size_t pos = 0; pos + 10 <= tag.size();) {
    auto b = [&](size_t i) { return static_cast<unsigned char>(tag[pos + i]); };
    size_t len = version == 4
                   ? (size_t(b(4) & 0x7F) << 21) | (size_t(b(5) & 0x7F) << 14)
                       | (size_t(b(6) & 0x7F) << 7) | size_t(b(7) & 0x7F)
                   : (size_t(b(4)) << 24) | (size_t(b(5)) << 16)
                       | (size_t(b(6)) << 8) | size_t(b(7));
    if (tag[pos] == '\0' || len == 0 || pos + 10 + len > tag.size())
      break;
    if (tag.compare(pos, 4, frame_id) == 0) {
      if (b(10) != 3 && b(10) != 0) // UTF-8 or Latin-1 only
        return {};
      std::string s = tag.substr(pos + 11, len - 1);
      while (!s.empty() && s.back() == '\0')
        s.pop_back();
      return repair_utf8(s, max_tag_bytes);
    }
    pos += 10 + len;
  }
  return {};
}

} // namespace

bool is_audio_extension(std::string_view ext) {
  static const char* const exts[] = {".mp3",  ".mp2", ".flac", ".ogg", ".oga",
                                     ".opus", ".spx", ".m4a",  ".m4b", ".mp4",
                                     ".aac",  ".wav", ".aiff", ".aif", ".wma",
                                     ".asf",  ".ape", ".wv",   ".mpc"};
  std::string e = lower_ascii(ext);
  return std::find(std::begin(exts), std::end(exts), e) != std::end(exts);
}

read_outcome read_tags(const std::string& path, int64_t size, int64_t mtime,
                       const read_options& opts) {
  silence_taglib();
  read_outcome out;
  auto fail = [&](std::string why) {
    out.ok = false;
    out.error = std::move(why);
    return out;
  };
  auto started = std::chrono::steady_clock::now();
  auto too_long = [&] {
    auto s
      = std::chrono::duration_cast<std::chrono::seconds>(opts.max_file_time)
          .count();
    if (s > 0)
      return fail("took longer than " + std::to_string(s) + " s");
    return fail("took longer than " + std::to_string(opts.max_file_time.count())
                + " ms");
  };
  if (size == 0)
    return fail("empty file");
  auto dot = path.rfind('.');
  auto ext = lower_ascii(dot == std::string::npos ? "" : path.substr(dot));
  // Only a file TagLib cannot read gets its signature checked: the usual
  // case pays no second open, and the reason then says what is wrong.
  auto unreadable = [&](const std::string& what) {
    auto kind = sniff(path);
    if (kind == "unopenable") {
      auto [why, transient] = open_error(path);
      out.transient = transient;
      return fail(why);
    }
    if (!plausible(ext, kind))
      return fail("mislabeled: content is " + kind + ", extension is " + ext);
    return fail("corrupt or truncated: " + what);
  };
  try {
    deadline_stream stream(path, started + opts.max_file_time);
    if (!stream.isOpen())
      return unreadable("cannot open");
    TagLib::FileRef ref(&stream, true, TagLib::AudioProperties::Fast);
    if (stream.expired())
      return too_long();
    if (stream.short_read()) {
      out.transient = true;
      return fail("I/O error while reading");
    }
    if (ref.isNull() || !ref.file() || !ref.file()->isValid())
      return unreadable("not a readable " + ext.substr(1) + " file");
    auto* props = ref.audioProperties();
    if (!props
        || (props->lengthInMilliseconds() <= 0 && props->sampleRate() <= 0))
      return unreadable("no audio stream");
    tag_values pm{ref.file()->properties()};
    if (stream.expired())
      return too_long();
    auto& t = out.track;
    t.title = pm("TITLE");
    if (t.title.empty())
      t.title = raw_id3_text(path, "TIT2");
    std::string artist = pm("ARTIST");
    if (artist.empty())
      artist = raw_id3_text(path, "TPE1");
    std::string album_artist = pm("ALBUMARTIST");
    std::string album = pm("ALBUM");
    if (t.title.empty()) {
      // Untitled: the file name without extension stands in.
      auto slash = path.rfind('/');
      auto name = path.substr(slash == std::string::npos ? 0 : slash + 1);
      t.title = repair_utf8(name.substr(0, name.rfind('.')), max_tag_bytes);
    }
    auto c = split_featured(artist);
    if (c.main.empty())
      c.main = "Unknown Artist";
    artist_dto main;
    main.name = c.main;
    main.sort_name = pm("ARTISTSORT");
    main.mbid = mbid_or_empty(pm("MUSICBRAINZ_ARTISTID"));
    t.artists.push_back(std::move(main));
    for (auto& f : c.featured) {
      artist_dto a;
      a.name = f;
      t.featured.push_back(std::move(a));
    }
    t.mbid = mbid_or_empty(pm("MUSICBRAINZ_TRACKID"));
    if (t.mbid.empty()) // TXXX:MusicBrainz Track Id (foobar2000, ffmpeg)
      t.mbid = mbid_or_empty(pm("MUSICBRAINZ TRACK ID"));
    t.release_track_mbid = mbid_or_empty(pm("MUSICBRAINZ_RELEASETRACKID"));
    t.isrc = isrc_or_empty(pm("ISRC"));
    auto [tn, tt] = number_pair(pm("TRACKNUMBER"));
    auto [dn, dt] = number_pair(pm("DISCNUMBER"));
    if (tt == 0)
      tt = number_pair(pm("TRACKTOTAL")).first;
    if (tt == 0)
      tt = number_pair(pm("TOTALTRACKS")).first;
    if (dt == 0)
      dt = number_pair(pm("DISCTOTAL")).first;
    if (dt == 0)
      dt = number_pair(pm("TOTALDISCS")).first;
    t.track_number = tn;
    t.track_total = tt;
    t.disc_number = dn;
    t.disc_total = dt;
    t.duration_ms = props->lengthInMilliseconds();
    t.genre = pm("GENRE");
    if (!album.empty()) {
      t.album.title = album;
      t.album.mbid = mbid_or_empty(pm("MUSICBRAINZ_ALBUMID"));
      t.album.release_group_mbid
        = mbid_or_empty(pm("MUSICBRAINZ_RELEASEGROUPID"));
      auto date = pm("DATE");
      if (date.empty())
        date = pm("YEAR");
      t.album.release_date = release_date(date);
      t.album.total_tracks = tt;
      t.album.total_discs = dt;
      t.album.album_type = lower_ascii(pm("RELEASETYPE"));
      if (!t.genre.empty())
        t.album.genres.push_back(t.genre);
      artist_dto aa;
      out.album_artist_tagged = !album_artist.empty();
      if (!album_artist.empty()) {
        aa.name = split_featured(album_artist).main;
        aa.sort_name = pm("ALBUMARTISTSORT");
        aa.mbid = mbid_or_empty(pm("MUSICBRAINZ_ALBUMARTISTID"));
      } else {
        // No album artist: the track's main artist stands in (the usual
        // reading of players and of MusicBrainz Picard).
        aa = t.artists.front();
      }
      t.album.artists.push_back(std::move(aa));
    }
    t.local_path = path;
    t.file_size = size;
    t.file_mtime = mtime;
    out.ok = true;
    return out;
  } catch (const std::exception& e) {
    return fail(std::string{"unreadable: "} + e.what());
  }
}

} // namespace discotheque::scan
