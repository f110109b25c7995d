#define CAF_SUITE storage.writes.identify
#include "storage/migrated_db.hpp"

#include "storage/queries/identify.hpp"
#include "storage/queries/response_cache.hpp"
#include "storage/writes/identify.hpp"
#include "storage/writes/response_cache.hpp"

using namespace discotheque;
using namespace discotheque::storage;

namespace {

struct fixture : test::migrated_db {
  fixture() {
    db.exec("INSERT INTO artists(id, name, normalized_name) VALUES"
            " (1, 'Nirvana', 'nirvana'), (2, 'Björk', 'bjork'),"
            " (3, 'Tagged', 'tagged'), (4, 'Gone', 'gone')");
    db.exec("UPDATE artists SET mbid = 'tag-mbid' WHERE id = 3");
    db.exec("UPDATE artists SET ownership_state = 'ignored' WHERE id = 4");
    db.exec("INSERT INTO albums(id, title, normalized_title) VALUES"
            " (10, 'Nevermind', 'nevermind'), (11, 'Debut', 'debut')");
    db.exec("INSERT INTO album_artists(album_id, artist_id) VALUES (10, 1),"
            " (11, 2)");
    db.exec("INSERT INTO tracks(id, title, normalized_title, isrc, artist_id)"
            " VALUES (20, 'Lithium', 'lithium', 'USGF19942501', 1)");
  }

  identify_decision decision(int64_t id, std::string outcome,
                             std::optional<std::string> mbid) {
    identify_decision d;
    d.entity_id = id;
    d.decided_at = 1000;
    d.outcome = std::move(outcome);
    d.chosen_mbid = std::move(mbid);
    d.source = "search";
    d.confidence = 0.95;
    d.margin = 0.5;
    d.why = "because";
    d.candidates_json = R"([{"mbid":"m1","score":0.95}])";
    return d;
  }

  std::string text(const char* sql) {
    return db.query_text(sql).value_or("");
  }

  std::optional<std::string> mbid_of(int64_t id) {
    return db.query_text("SELECT mbid FROM artists WHERE id = ?1",
                         {sql_value::of(id)});
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(identify_write_tests, fixture)

CAF_TEST(the artists to identify come with their evidence) {
  auto all = artists_to_identify(db);
  CAF_REQUIRE_EQUAL(all.size(), 3u); // the ignored one is left alone
  CAF_CHECK_EQUAL(all[0].name, "Nirvana");
  CAF_REQUIRE_EQUAL(all[0].album_titles.size(), 1u);
  CAF_CHECK_EQUAL(all[0].album_titles[0], "Nevermind");
  CAF_REQUIRE_EQUAL(all[0].isrcs.size(), 1u);
  CAF_CHECK_EQUAL(all[0].isrcs[0], "USGF19942501");
  CAF_CHECK_EQUAL(all[2].mbid, "tag-mbid"); // from the tags, unconfirmed
}

CAF_TEST(an identification writes the MBID and the decision) {
  apply(record_artist_decision(decision(1, "identified", "m1")));
  auto mbid = mbid_of(1).value_or("");
  auto source = text("SELECT mbid_source FROM artists WHERE id = 1");
  CAF_CHECK_EQUAL(mbid, "m1");
  CAF_CHECK_EQUAL(source, "auto");
  auto m = artist_matches(db, 1);
  CAF_REQUIRE(m.has_value());
  CAF_CHECK_EQUAL((*m)["mbid"], "m1");
  CAF_CHECK_EQUAL((*m)["decision"]["outcome"], "identified");
  CAF_CHECK_EQUAL((*m)["decision"]["why"], "because");
  CAF_CHECK_EQUAL((*m)["decision"]["candidates"][0]["mbid"], "m1");
  // identified: no longer among those to identify
  for (const auto& a : artists_to_identify(db))
    CAF_CHECK_NOT_EQUAL(a.id, 1);
  CAF_CHECK(!artist_matches(db, 99).has_value());
}

CAF_TEST(an uncertain decision counts an attempt and clears nothing) {
  db.exec("UPDATE artists SET mbid = 'kept', mbid_source = 'user' WHERE id = "
          "2");
  apply(record_artist_decision(decision(2, "uncertain", std::nullopt)));
  apply(record_artist_decision(decision(2, "identified", "other")));
  auto mbid = mbid_of(2).value_or("");
  auto attempts = db.query_int("SELECT identify_attempts FROM artists WHERE "
                               "id = 2")
                    .value_or(-1);
  CAF_CHECK_EQUAL(mbid, "kept"); // a user's choice stays
  CAF_CHECK_EQUAL(attempts, 1);
  auto m = artist_matches(db, 2);
  CAF_REQUIRE(m.has_value());
  auto n = (*m)["history"].size();
  CAF_CHECK_EQUAL(n, 2u);
}

CAF_TEST(an MBID another artist has is not written twice) {
  apply(record_artist_decision(decision(1, "identified", "tag-mbid")));
  CAF_CHECK(!mbid_of(1).has_value());
}

CAF_TEST(a tag MBID is confirmed and follows a merge) {
  auto d = decision(3, "identified", "new-mbid");
  d.source = "tags";
  d.confidence = 1;
  apply(record_artist_decision(d));
  auto mbid = mbid_of(3).value_or("");
  auto source = text("SELECT mbid_source FROM artists WHERE id = 3");
  CAF_CHECK_EQUAL(mbid, "new-mbid");
  CAF_CHECK_EQUAL(source, "tags");
}

CAF_TEST(cached answers are stored by url and replaced) {
  cached_answer a;
  a.url = "http://x/ws/2/artist/1?fmt=json";
  a.provider = "musicbrainz";
  a.status = 200;
  a.body = "{}";
  a.fetched_at = 5;
  apply(put_cached_answer(a));
  a.body = R"({"id":"1"})";
  a.fetched_at = 6;
  apply(put_cached_answer(a));
  auto got = cached_answer_for(db, a.url);
  CAF_CHECK(got.found);
  CAF_CHECK_EQUAL(got.body, R"({"id":"1"})");
  CAF_CHECK_EQUAL(got.fetched_at, 6);
  CAF_CHECK_EQUAL(got.status, 200);
  CAF_CHECK(!cached_answer_for(db, "http://x/other").found);
}

CAF_TEST_FIXTURE_SCOPE_END()
