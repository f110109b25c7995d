// Small helpers of the merge: what a DTO's fields become as SQL values, and
// which optional columns a DTO knows (a merge writes only when it fills one
// a row still lacks).
#pragma once

#include "messages/library.hpp"
#include "messages/types.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace discotheque::dedup {

/// NULL for "" (unknown), else the text.
sql_value text_or_null(const std::string& s);
/// NULL for 0 (unknown), else the number.
sql_value int_or_null(int64_t v);
/// The genres as a JSON array; "" for none.
std::string genres_json(const std::vector<std::string>& g);
/// Whether two MBIDs may name one entity: equal, or one unknown.
bool mbid_compatible(const std::string& a, const std::string& b);

/// The optional columns `a` knows (storage::artist_column bits).
uint8_t known_columns(const artist_dto& a);
/// The optional columns `a` knows (storage::album_column bits).
uint8_t known_columns(const album_dto& a);

} // namespace discotheque::dedup
