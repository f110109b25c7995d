#include "actors/dedup/columns.hpp"

#include "storage/queries/dedup.hpp"

#include <nlohmann/json.hpp>

namespace discotheque::dedup {

sql_value text_or_null(const std::string& s) {
  return s.empty() ? sql_value::null() : sql_value::of(s);
}

sql_value int_or_null(int64_t v) {
  return v == 0 ? sql_value::null() : sql_value::of(v);
}

std::string genres_json(const std::vector<std::string>& g) {
  return g.empty()
           ? std::string{}
           : nlohmann::json(g).dump(-1, ' ', false,
                                    nlohmann::json::error_handler_t::replace);
}

bool mbid_compatible(const std::string& a, const std::string& b) {
  return a.empty() || b.empty() || a == b;
}

namespace {

uint8_t bit_if(bool known, uint8_t bit) {
  return known ? bit : 0;
}

} // namespace

uint8_t known_columns(const artist_dto& a) {
  using namespace storage;
  return artist_primary_source | bit_if(!a.sort_name.empty(), artist_sort_name)
         | bit_if(!a.genres.empty(), artist_genres);
}

uint8_t known_columns(const album_dto& a) {
  using namespace storage;
  return album_primary_source
         | bit_if(!a.release_group_mbid.empty(), album_release_group)
         | bit_if(!a.upc.empty(), album_upc)
         | bit_if(!a.album_type.empty(), album_type)
         | bit_if(!a.release_date.empty(), album_release_date)
         | bit_if(a.total_tracks != 0, album_total_tracks)
         | bit_if(a.total_discs != 0, album_total_discs)
         | bit_if(!a.genres.empty(), album_genres);
}

} // namespace discotheque::dedup
