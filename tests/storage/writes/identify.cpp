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

CAF_TEST(albums of identified artists come with their tracks) {
  db.exec("UPDATE artists SET mbid = 'm-nirvana', mbid_source = 'auto'"
          " WHERE id = 1");
  db.exec("UPDATE tracks SET album_id = 10, track_number = 3 WHERE id = 20");
  db.exec("INSERT INTO tracks(id, title, normalized_title, album_id,"
          " artist_id, track_number) VALUES (21, 'Drain You',"
          " 'drain you', 10, 1, 1)");
  auto all = albums_to_identify(db);
  CAF_REQUIRE_EQUAL(all.size(), 1u); // Debut: its artist has no MBID
  CAF_CHECK_EQUAL(all[0].title, "Nevermind");
  CAF_CHECK_EQUAL(all[0].artist_mbid, "m-nirvana");
  CAF_REQUIRE_EQUAL(all[0].tracks.size(), 2u);
  CAF_CHECK_EQUAL(all[0].tracks[0].title, "Drain You"); // by number
  CAF_CHECK_EQUAL(all[0].tracks[1].isrc, "USGF19942501");
  auto d = decision(10, "identified", "rel-1");
  d.entity_type = "album";
  d.secondary_mbid = "rg-1";
  apply(record_album_decision(d));
  auto rel = text("SELECT mbid FROM albums WHERE id = 10");
  auto rg = text("SELECT release_group_mbid FROM albums WHERE id = 10");
  CAF_CHECK_EQUAL(rel, "rel-1");
  CAF_CHECK_EQUAL(rg, "rg-1");
  CAF_CHECK(albums_to_identify(db).empty());
  // its tracks are now looked at through the release
  auto tracks = tracks_to_identify_of(db);
  CAF_REQUIRE_EQUAL(tracks.by_release.size(), 1u);
  CAF_CHECK_EQUAL(tracks.by_release[0].first, "rel-1");
  CAF_CHECK_EQUAL(tracks.by_release[0].second.size(), 2u);
  CAF_CHECK(tracks.by_isrc.empty());
  auto t = decision(21, "identified", "rec-1");
  t.entity_type = "track";
  t.secondary_mbid = "trk-1";
  apply(record_track_decision(t));
  auto rec = text("SELECT mbid || ' ' || release_track_mbid || ' ' ||"
                  " mbid_source FROM tracks WHERE id = 21");
  CAF_CHECK_EQUAL(rec, "rec-1 trk-1 auto");
}

CAF_TEST(a user choice sticks and a cleared one stops identification) {
  db.exec("UPDATE artists SET mbid = 'm-nirvana', mbid_source = 'auto'"
          " WHERE id = 1");
  auto u = decision(10, "identified", "rel-user");
  u.entity_type = "album";
  u.decided_by = "user";
  u.source = "user";
  apply(set_user_mbid(u, true));
  auto d = decision(10, "identified", "rel-auto");
  d.entity_type = "album";
  apply(record_album_decision(d));
  auto rel = text("SELECT mbid || ' ' || mbid_source || ' ' ||"
                  " mbid_unverified FROM albums WHERE id = 10");
  CAF_CHECK_EQUAL(rel, "rel-user user 1");
  auto m = entity_matches(db, "album", 10);
  CAF_REQUIRE(m.has_value());
  CAF_CHECK_EQUAL((*m)["history"][1]["decided_by"], "user");
  CAF_CHECK_EQUAL((*m)["unverified"], true);
  auto other = other_with_mbid(db, "album", "rel-user", 11);
  CAF_REQUIRE(other.has_value());
  CAF_CHECK_EQUAL(*other, 10);
  // {"mbid": null}: cleared, never looked at again, listed as stopped
  auto none = decision(1, "not_found", std::nullopt);
  none.decided_by = "user";
  none.source = "user";
  apply(set_user_mbid(none, false));
  CAF_CHECK(!mbid_of(1).has_value());
  for (const auto& a : artists_to_identify(db))
    CAF_CHECK_NOT_EQUAL(a.id, 1);
  auto list = unidentified(db, "artist", 50, 0);
  CAF_CHECK_EQUAL(list["total"], 2); // Nirvana, Björk (Tagged has one)
  CAF_CHECK_EQUAL(list["items"][0]["stopped"], true);
  CAF_CHECK_EQUAL(list["items"][0]["outcome"], "not_found");
  auto page = unidentified(db, "artist", 1, 1);
  CAF_CHECK_EQUAL(page["items"].size(), 1u);
  CAF_CHECK_EQUAL(page["items"][0]["name"], "Björk");
}

CAF_TEST(a cached lookup tells whether an MBID exists) {
  cached_answer a;
  a.url = "http://x/ws/2/release/abc?inc=recordings&fmt=json";
  a.provider = "musicbrainz";
  a.status = 404;
  a.body = "{}";
  a.fetched_at = 5;
  apply(put_cached_answer(a));
  auto hit = cached_mb_lookup(db, "album", "abc");
  CAF_REQUIRE(hit.has_value());
  CAF_CHECK_EQUAL(hit->status, 404);
  CAF_CHECK(!cached_mb_lookup(db, "album", "ab").has_value());
  CAF_CHECK(!cached_mb_lookup(db, "artist", "abc").has_value());
  CAF_CHECK(!cached_mb_lookup(db, "track", "abc").has_value());
}

CAF_TEST_FIXTURE_SCOPE_END()
