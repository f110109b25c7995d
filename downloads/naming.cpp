#include "downloads/naming.hpp"

#include "library/normalize.hpp"

#include <cstdio>

namespace discotheque::downloads {

const char* const default_naming_pattern
  = "{album_artist}/{album} ({year})/{track} - {title}";

namespace {

bool reserved(const std::string& s) {
  auto stem = library::lower_ascii(s.substr(0, s.find('.')));
  for (const char* r : {"con", "prn", "aux", "nul"})
    if (stem == r)
      return true;
  if (stem.size() == 4 && (stem.starts_with("com") || stem.starts_with("lpt"))
      && stem[3] >= '0' && stem[3] <= '9')
    return true;
  return false;
}

std::string value_of(const std::string& key, const wanted_track& t) {
  auto num = [](int n) -> std::string {
    if (n <= 0)
      return {};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d", n);
    return buf;
  };
  if (key == "artist")
    return t.artist;
  if (key == "album_artist")
    return t.album_artist.empty() ? t.artist : t.album_artist;
  if (key == "album")
    return t.album;
  if (key == "year")
    return t.year > 0 ? std::to_string(t.year) : std::string{};
  if (key == "track")
    return num(t.track_number);
  if (key == "disc")
    return t.disc_number > 0 ? std::to_string(t.disc_number) : std::string{};
  if (key == "title")
    return t.title;
  return "{" + key + "}";
}

// "Album ()" -> "Album", " - Title" -> "Title": what an empty value leaves.
std::string tidy(std::string s) {
  for (const char* empty : {"()", "[]", "{}"})
    for (auto p = s.find(empty); p != std::string::npos; p = s.find(empty))
      s.erase(p, 2);
  while (!s.empty() && (s.front() == ' ' || s.front() == '-'))
    s.erase(0, 1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '-'))
    s.pop_back();
  for (auto p = s.find("  "); p != std::string::npos; p = s.find("  "))
    s.erase(p, 1);
  return s;
}

} // namespace

std::string safe_name(std::string_view part) {
  auto s = library::repair_utf8(part, 180);
  for (auto& c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || c == '/' || c == '\\' || c == ':' || c == '*' || c == '?'
        || c == '"' || c == '<' || c == '>' || c == '|')
      c = '_';
  }
  while (!s.empty() && (s.back() == '.' || s.back() == ' '))
    s.pop_back();
  while (!s.empty() && s.front() == ' ')
    s.erase(0, 1);
  if (s.empty())
    return "_";
  if (s.front() == '.')
    s.insert(0, "_");
  if (reserved(s))
    s.insert(0, "_");
  return s;
}

std::filesystem::path library_path(const std::string& pattern,
                                   const wanted_track& t,
                                   const std::string& ext) {
  std::filesystem::path out;
  std::string part;
  auto flush = [&] {
    auto p = tidy(part);
    if (!p.empty())
      out /= safe_name(p);
    part.clear();
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '/') {
      flush();
    } else if (c == '{') {
      auto end = pattern.find('}', i);
      if (end == std::string::npos) {
        part += pattern.substr(i);
        break;
      }
      // A value's own slashes ("AC/DC") stay inside its part.
      auto v = value_of(pattern.substr(i + 1, end - i - 1), t);
      for (auto& vc : v)
        if (vc == '/' || vc == '\\')
          vc = '_';
      part += v;
      i = end;
    } else {
      part += c;
    }
  }
  flush();
  if (out.empty())
    out = "_";
  auto file = out.filename().string();
  out.replace_filename(safe_name(file + (ext.empty() ? "" : "." + ext)));
  return out;
}

std::filesystem::path
free_path(const std::filesystem::path& wanted,
          const std::function<bool(const std::filesystem::path&)>& exists) {
  if (!exists(wanted))
    return wanted;
  auto stem = wanted.stem().string();
  auto ext = wanted.extension().string();
  for (int n = 2;; ++n) {
    auto p = wanted.parent_path()
             / (stem + " (" + std::to_string(n) + ")" + ext);
    if (!exists(p))
      return p;
  }
}

std::optional<int64_t> retry_delay_ms(int failures) {
  constexpr int64_t hour = int64_t{3600} * 1000;
  switch (failures) {
    case 1:
      return hour;
    case 2:
      return 6 * hour;
    case 3:
      return 24 * hour;
    case 4:
      return 7 * 24 * hour;
    default:
      return std::nullopt;
  }
}

} // namespace discotheque::downloads
