// Which spelling of a name the library shows when sources disagree ("The
// Beatles", "THE BEATLES", "beatles"). Plain functions: the dedup merge calls
// them for every artist name and album title it sees.
#pragma once

#include <string>

namespace discotheque::dedup {

/// Repairs a display name (invalid UTF-8) and collapses runs of spaces.
std::string tidy(const std::string& s);

/// Whether spelling `a` is shown rather than `b`: not inverted ("Beatles,
/// The"), mixed case over all caps or all lower case, accents over none,
/// longer ("The Beatles" over "Beatles"), then byte order. A total order, so
/// the library does not depend on the order in which files arrive.
bool better_spelling(const std::string& a, const std::string& b);

} // namespace discotheque::dedup
