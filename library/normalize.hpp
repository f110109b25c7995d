// Name normalization for deduplication (SPEC §5): case folding, accent
// folding, punctuation and whitespace folding, "feat." splitting and the
// leading "The ". Without ICU: a table covers Latin-1 Supplement, Latin
// Extended-A, basic Greek and Cyrillic case; other scripts keep their code
// points (they still match exactly, just not across case).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace discotheque::library {

/// Folds `s` for comparison: "  Björk  " -> "bjork", "AC/DC" -> "acdc",
/// "Simon & Garfunkel" -> "simon and garfunkel".
std::string fold(std::string_view s);

/// The key of an artist name: fold() without a leading "the " (and without
/// a trailing ", The"): "The Beatles", "Beatles, The", "beatles" -> "beatles".
std::string artist_key(std::string_view name);

/// The exact spelling of an artist name, what the dedup store matches a
/// name-only artist by: fold() with a leading "The" KEPT, the inverted
/// "X, The" read as "The X" (it can only mean that): "The Beatles",
/// "THE  BEATLES", "Beatles, The" -> "the beatles"; "Beatles" -> "beatles".
/// A name that folds to nothing ("!!!") is its own spelling, as written.
std::string artist_spelling(std::string_view name);

/// Whether an album artist stands for "Various Artists" (a compilation):
/// "Various Artists", "Various", "VA", "V.A.", "Various Artist".
bool is_various_artists(std::string_view name);

/// Splits "Daft Punk feat. Pharrell Williams & Nile Rodgers" into the main
/// credit ("Daft Punk") and the featured artists. Recognizes feat./feat/
/// ft./ft/featuring, also inside parentheses or brackets.
struct credit {
  std::string main;
  std::vector<std::string> featured;
};
credit split_featured(std::string_view artist);

/// Makes `s` valid UTF-8 (bytes of invalid sequences are read as Latin-1,
/// which is what mis-encoded tags usually are), drops control characters,
/// trims, and cuts to at most `limit` bytes on a code point boundary.
std::string repair_utf8(std::string_view s, size_t limit = 1024);

/// A-Z to a-z; every other byte as it is (file extensions, tag keywords).
std::string lower_ascii(std::string_view s);

} // namespace discotheque::library
