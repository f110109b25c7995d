#include "identify/text.hpp"

#include "library/normalize.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace discotheque::identify {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

/// Code points of a UTF-8 string; a stray byte counts as one code point.
std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    size_t len = b < 0x80             ? 1
                 : (b & 0xE0) == 0xC0 ? 2
                 : (b & 0xF0) == 0xE0 ? 3
                 : (b & 0xF8) == 0xF0 ? 4
                                      : 1;
    if (i + len > s.size())
      len = 1;
    char32_t cp = len == 1 ? b : b & (0x7F >> len);
    for (size_t k = 1; k < len; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

// Words that make a trailing qualifier an edition rather than a title.
constexpr std::array edition_words{
  "deluxe",      "edition", "remaster", "remastered", "expanded",
  "anniversary", "bonus",   "version",  "reissue",    "special",
  "collector",   "mono",    "stereo",   "legacy",     "explicit",
  "clean",       "digital", "single",   "ep",
};

bool is_edition(std::string_view qualifier) {
  auto words = library::fold(qualifier);
  size_t start = 0;
  while (start < words.size()) {
    auto end = words.find(' ', start);
    if (end == std::string::npos)
      end = words.size();
    auto w = std::string_view{words}.substr(start, end - start);
    for (auto e : edition_words)
      if (w == e)
        return true;
    start = end + 1;
  }
  return false;
}

/// Drops trailing "(...)" / "[...]" / " - ..." qualifiers that name an
/// edition; the rest of the title stays as it is.
std::string_view strip_editions(std::string_view t) {
  for (;;) {
    t = trim(t);
    if (t.empty())
      return t;
    char close = t.back();
    if (close == ')' || close == ']') {
      char open = close == ')' ? '(' : '[';
      auto pos = t.rfind(open);
      if (pos == std::string_view::npos || pos == 0)
        return t;
      if (!is_edition(t.substr(pos + 1, t.size() - pos - 2)))
        return t;
      t = t.substr(0, pos);
      continue;
    }
    auto dash = t.rfind(" - ");
    if (dash != std::string_view::npos && dash > 0
        && is_edition(t.substr(dash + 3))) {
      t = t.substr(0, dash);
      continue;
    }
    return t;
  }
}

} // namespace

std::string name_key(std::string_view name) {
  auto key = library::artist_key(name);
  if (key.empty())
    return std::string{trim(name)};
  return key;
}

std::string title_key(std::string_view title) {
  auto key = library::fold(strip_editions(title));
  if (key.empty())
    key = library::fold(title);
  if (key.empty())
    return std::string{trim(title)};
  return key;
}

double similarity(std::string_view a, std::string_view b) {
  if (a == b)
    return 1.0;
  auto x = code_points(a);
  auto y = code_points(b);
  if (x.empty() || y.empty())
    return 0.0;
  std::vector<size_t> prev(y.size() + 1);
  std::vector<size_t> cur(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j)
    prev[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= y.size(); ++j) {
      size_t subst = prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  auto longest = std::max(x.size(), y.size());
  return 1.0 - static_cast<double>(prev[y.size()]) / longest;
}

bool is_self_titled(std::string_view album_title, std::string_view artist) {
  auto t = title_key(album_title);
  return !t.empty() && (t == name_key(artist) || t == library::fold(artist));
}

bool is_word_substring(std::string_view shorter, std::string_view longer) {
  if (shorter.empty() || shorter.size() >= longer.size())
    return false;
  for (auto pos = longer.find(shorter); pos != std::string_view::npos;
       pos = longer.find(shorter, pos + 1)) {
    auto end = pos + shorter.size();
    bool left = pos == 0 || longer[pos - 1] == ' ';
    bool right = end == longer.size() || longer[end] == ' ';
    if (left && right)
      return true;
  }
  return false;
}

} // namespace discotheque::identify
