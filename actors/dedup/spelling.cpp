#include "actors/dedup/spelling.hpp"

#include "library/normalize.hpp"

#include <tuple>

namespace discotheque::dedup {

std::string tidy(const std::string& s) {
  auto r = library::repair_utf8(s);
  std::string out;
  out.reserve(r.size());
  for (char c : r)
    if (c != ' ' || (!out.empty() && out.back() != ' '))
      out += c;
  return out;
}

bool better_spelling(const std::string& a, const std::string& b) {
  auto rank = [](const std::string& s) {
    bool upper = false, lower = false;
    int non_ascii = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      upper = upper || (c >= 'A' && c <= 'Z');
      lower = lower || (c >= 'a' && c <= 'z');
      non_ascii += (c & 0xC0) == 0xC0;     // lead bytes: one per code point
      if (c == 0xC3 && i + 1 < s.size()) { // Latin-1 letters: À-Þ vs ß-ÿ
        auto n = static_cast<unsigned char>(s[i + 1]);
        upper = upper || (n >= 0x80 && n <= 0x9E && n != 0x97);
        lower = lower || (n >= 0x9F && n != 0xB7);
      }
    }
    bool inverted = s.size() > 5 && s.ends_with(", The"); // "Beatles, The"
    return std::make_tuple(!inverted, upper && lower, non_ascii, s.size());
  };
  auto ra = rank(a), rb = rank(b);
  if (ra != rb)
    return ra > rb;
  return a < b;
}

} // namespace discotheque::dedup
