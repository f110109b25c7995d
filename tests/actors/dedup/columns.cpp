#define CAF_SUITE actors.dedup.columns
#include "fixture.hpp"

#include "actors/dedup/columns.hpp"
#include "storage/queries/dedup.hpp"

using namespace discotheque;
using namespace discotheque::dedup;

CAF_TEST(unknown text and numbers become SQL nulls) {
  auto empty = text_or_null("");
  CAF_CHECK_EQUAL(empty.kind, sql_value::null_v);
  auto text = text_or_null("Abbey Road");
  CAF_CHECK_EQUAL(text.kind, sql_value::text_v);
  CAF_CHECK_EQUAL(text.s, "Abbey Road");
  auto zero = int_or_null(0);
  CAF_CHECK_EQUAL(zero.kind, sql_value::null_v);
  auto n = int_or_null(12);
  CAF_CHECK_EQUAL(n.kind, sql_value::int_v);
  CAF_CHECK_EQUAL(n.i, 12);
}

CAF_TEST(genres are a JSON array or nothing) {
  CAF_CHECK_EQUAL(genres_json({}), "");
  CAF_CHECK_EQUAL(genres_json({"rock", "pop"}), R"(["rock","pop"])");
  // invalid UTF-8 from a tag is replaced, not thrown
  auto bad = genres_json({std::string{"ro\xff"}});
  CAF_CHECK(bad.find("ro") != std::string::npos);
}

CAF_TEST(mbids are compatible when equal or one is unknown) {
  CAF_CHECK(mbid_compatible("", "a"));
  CAF_CHECK(mbid_compatible("a", ""));
  CAF_CHECK(mbid_compatible("a", "a"));
  CAF_CHECK(!mbid_compatible("a", "b"));
}

CAF_TEST(known columns name what a DTO fills) {
  using namespace storage;
  artist_dto bare;
  CAF_CHECK_EQUAL(known_columns(bare), artist_primary_source);
  artist_dto a;
  a.sort_name = "Beatles, The";
  a.genres = {"rock"};
  CAF_CHECK_EQUAL(known_columns(a),
                  artist_primary_source | artist_sort_name | artist_genres);
  album_dto al;
  al.upc = "123";
  al.total_tracks = 10;
  auto bits = known_columns(al);
  CAF_CHECK((bits & album_upc) != 0);
  CAF_CHECK((bits & album_total_tracks) != 0);
  CAF_CHECK((bits & album_release_group) == 0);
  CAF_CHECK((bits & album_genres) == 0);
}
