#include "library/normalize.hpp"

#include <algorithm>
#include <cstdint>

namespace discotheque::library {

namespace {

/// Decodes one code point at s[i]; on an invalid sequence returns the byte
/// itself (as Latin-1) and advances by one.
char32_t decode(std::string_view s, size_t& i, bool& valid) {
  auto b = static_cast<unsigned char>(s[i]);
  valid = true;
  if (b < 0x80) {
    ++i;
    return b;
  }
  int len = (b & 0xE0) == 0xC0   ? 2
            : (b & 0xF0) == 0xE0 ? 3
            : (b & 0xF8) == 0xF0 ? 4
                                 : 0;
  if (len > 0 && i + len <= s.size()) {
    char32_t cp = b & (0x7F >> len);
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3F);
    }
    // Reject overlong forms, surrogates and out-of-range values.
    if (ok && !(len == 2 && cp < 0x80) && !(len == 3 && cp < 0x800)
        && !(len == 4 && cp < 0x10000) && !(cp >= 0xD800 && cp <= 0xDFFF)
        && cp <= 0x10FFFF) {
      i += len;
      return cp;
    }
  }
  valid = false;
  ++i;
  return b;
}

void encode(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// U+00C0..U+00FF folded to ASCII ("" = punctuation-like, dropped).
const char* const latin1[64]
  = {"a", "a", "a", "a", "a",  "a",  "ae", "c", "e", "e", "e",  "e", "i",
     "i", "i", "i", "d", "n",  "o",  "o",  "o", "o", "o", "",   "o", "u",
     "u", "u", "u", "y", "th", "ss", "a",  "a", "a", "a", "a",  "a", "ae",
     "c", "e", "e", "e", "e",  "i",  "i",  "i", "i", "d", "n",  "o", "o",
     "o", "o", "o", "",  "o",  "u",  "u",  "u", "u", "y", "th", "y"};

// U+0100..U+017F (Latin Extended-A) folded to ASCII.
const char* const latin_ext_a[128] = {
  "a", "a", "a", "a", "a", "a",  "c",  "c",  "c",  "c", "c", "c", "c", "c", "d",
  "d", "d", "d", "e", "e", "e",  "e",  "e",  "e",  "e", "e", "e", "e", "g", "g",
  "g", "g", "g", "g", "g", "g",  "h",  "h",  "h",  "h", "i", "i", "i", "i", "i",
  "i", "i", "i", "i", "i", "ij", "ij", "j",  "j",  "k", "k", "k", "l", "l", "l",
  "l", "l", "l", "l", "l", "l",  "l",  "n",  "n",  "n", "n", "n", "n", "n", "n",
  "n", "o", "o", "o", "o", "o",  "o",  "oe", "oe", "r", "r", "r", "r", "r", "r",
  "s", "s", "s", "s", "s", "s",  "s",  "s",  "t",  "t", "t", "t", "t", "t", "u",
  "u", "u", "u", "u", "u", "u",  "u",  "u",  "u",  "u", "u", "w", "w", "y", "y",
  "y", "z", "z", "z", "z", "z",  "z",  "s"};

bool is_space(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0
         || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x3000;
}

bool is_punct(char32_t cp) {
  if (cp < 0x80)
    return !(cp >= '0' && cp <= '9') && !(cp >= 'a' && cp <= 'z')
           && !(cp >= 'A' && cp <= 'Z') && !is_space(cp);
  return (cp >= 0xA1 && cp <= 0xBF && cp != 0xAA && cp != 0xBA) || cp == 0xD7
         || cp == 0xF7 || (cp >= 0x2010 && cp <= 0x206F)
         || (cp >= 0x3000 && cp <= 0x303F);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

} // namespace

std::string lower_ascii(std::string_view s) {
  std::string r{s};
  for (auto& c : r)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return r;
}

std::string fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  auto put = [&](std::string_view piece) {
    if (piece.empty())
      return;
    if (pending_space && !out.empty())
      out += ' ';
    pending_space = false;
    out += piece;
  };
  for (size_t i = 0; i < s.size();) {
    bool valid;
    char32_t cp = decode(s, i, valid);
    if (is_space(cp)) {
      pending_space = true;
    } else if (cp == '&') {
      pending_space = true;
      put("and");
      pending_space = true;
    } else if (is_punct(cp)) {
      // dropped: "AC/DC" and "AC-DC" both become "acdc"
    } else if (cp < 0x80) {
      char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z')
        c = static_cast<char>(c - 'A' + 'a');
      put(std::string_view{&c, 1});
    } else if (cp >= 0xC0 && cp <= 0xFF) {
      put(latin1[cp - 0xC0]);
    } else if (cp >= 0x100 && cp <= 0x17F) {
      put(latin_ext_a[cp - 0x100]);
    } else if (cp >= 0x300 && cp <= 0x36F) {
      // combining diacritics (decomposed input): drop the accent
    } else {
      char32_t lower = cp;
      if ((cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x410 && cp <= 0x42F))
        lower = cp + 0x20; // Greek and Cyrillic capitals
      else if (cp >= 0x400 && cp <= 0x40F)
        lower = cp + 0x50;
      std::string piece;
      encode(piece, lower);
      put(piece);
    }
  }
  return out;
}

std::string artist_key(std::string_view name) {
  auto t = trim(name);
  auto low = lower_ascii(t);
  if (low.size() > 5 && low.ends_with(", the"))
    t = t.substr(0, t.size() - 5);
  auto f = fold(t);
  if (f.size() > 4 && f.starts_with("the "))
    f.erase(0, 4);
  return f;
}

std::string artist_spelling(std::string_view name) {
  auto t = trim(name);
  auto low = lower_ascii(t);
  bool inverted = low.size() > 5 && low.ends_with(", the");
  if (inverted)
    t = t.substr(0, t.size() - 5);
  auto f = fold(t);
  if (f.empty())
    return std::string{t};
  if (inverted && !f.starts_with("the "))
    f.insert(0, "the ");
  return f;
}

bool is_various_artists(std::string_view name) {
  auto f = fold(name);
  return f == "various artists" || f == "various" || f == "va"
         || f == "various artist";
}

credit split_featured(std::string_view artist) {
  credit c;
  auto low = lower_ascii(artist);
  static const char* const markers[]
    = {" featuring ", " feat. ", " feat ",  " ft. ",      " ft ",
       "(feat. ",     "(ft. ",   "[feat. ", "(featuring "};
  size_t best = std::string::npos;
  size_t mlen = 0;
  for (auto m : markers) {
    auto pos = low.find(m);
    if (pos != std::string::npos && pos < best) {
      best = pos;
      mlen = std::char_traits<char>::length(m);
    }
  }
  if (best == std::string::npos || best == 0) {
    c.main = std::string{trim(artist)};
    return c;
  }
  c.main = std::string{trim(artist.substr(0, best))};
  std::string rest{artist.substr(best + mlen)};
  while (!rest.empty()
         && (rest.back() == ')' || rest.back() == ']' || rest.back() == ' '))
    rest.pop_back();
  // "A, B & C" -> A, B, C
  std::string cur;
  auto flush = [&] {
    auto t = trim(cur);
    if (!t.empty())
      c.featured.emplace_back(t);
    cur.clear();
  };
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == ',' || rest[i] == '&') {
      flush();
    } else if (rest.compare(i, 5, " and ") == 0) {
      flush();
      i += 4;
    } else {
      cur += rest[i];
    }
  }
  flush();
  return c;
}

std::string repair_utf8(std::string_view s, size_t limit) {
  std::string out;
  out.reserve(std::min(s.size(), limit));
  for (size_t i = 0; i < s.size();) {
    bool valid;
    char32_t cp = decode(s, i, valid);
    if (cp < 0x20 || cp == 0x7F) {
      if (cp == '\t' || cp == '\n' || cp == '\r')
        cp = ' ';
      else
        continue;
    }
    std::string piece;
    encode(piece, cp); // invalid bytes come back as Latin-1 code points
    if (out.size() + piece.size() > limit)
      break;
    out += piece;
  }
  auto t = trim(out);
  return std::string{t};
}

} // namespace discotheque::library
