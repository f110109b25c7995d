// Text comparison for identification: the keys under which names and
// titles are compared (built on library/normalize's folding) and a
// similarity for near names. Non-Latin scripts keep their code points:
// "ДДТ" equals "ддт" but never "DDT" (that takes an alias).
#pragma once

#include <string>
#include <string_view>

namespace discotheque::identify {

/// The key of an artist name: library::artist_key (case, accents, "The",
/// "X, The", punctuation); a name of punctuation only ("!!!") keeps its
/// trimmed text so that it still compares with itself.
std::string name_key(std::string_view name);

/// The key of an album or track title: folded, without a trailing edition
/// qualifier ("(Deluxe Edition)", "[2011 Remaster]", " - Remastered 2009",
/// "(Expanded)", "(Bonus Track Version)", " - Single"). "Neon Future I" and
/// "Neon Future II" keep distinct keys.
std::string title_key(std::string_view title);

/// 1 - Levenshtein distance / longer length, over code points of the two
/// strings as given (callers pass keys). 1 for equal strings, 0 when
/// nothing is shared or one is empty.
double similarity(std::string_view a, std::string_view b);

/// True when the album title is the artist's name ("Weezer" by Weezer):
/// such a title says little about which artist or release it is.
bool is_self_titled(std::string_view album_title, std::string_view artist);

/// True when `shorter` occurs in `longer` at word boundaries ("homogenic"
/// in "icelandic singer of homogenic").
bool is_word_substring(std::string_view shorter, std::string_view longer);

} // namespace discotheque::identify
