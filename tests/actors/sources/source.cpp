#define CAF_SUITE actors.sources.source
#include "actors/sources/wire_fixture.hpp"

using namespace wire_test;

CAF_TEST(the me list gives the user id of each provider) {
  // Spotify GET /me, Deezer GET /user/me, TIDAL GET /users/me
  auto s = parse_ok(
    spotify_wire(), sp, {"me", "", ""},
    R"({"display_name":"Wizzler","id":"wizzler","type":"user","uri":"spotify:user:wizzler"})");
  CAF_CHECK_EQUAL(s.user_id, "wizzler");
  auto d = parse_ok(deezer_wire(), dz, {"me", "", ""},
                    R"({"id":359622,"name":"Bruno Alla","type":"user"})");
  CAF_CHECK_EQUAL(d.user_id, "359622");
  auto t = parse_ok(
    tidal_wire(), td, {"me", "", ""},
    R"({"data":{"id":"4711","type":"users","attributes":{"username":"x","country":"US"}}})");
  CAF_CHECK_EQUAL(t.user_id, "4711");
  // a profile without an id, or an error inside HTTP 200, is an error
  CAF_CHECK(
    !parse_body(spotify_wire(), sp, {"me", "", ""}, R"({"display_name":"x"})"));
  CAF_CHECK(!parse_body(
    deezer_wire(), dz, {"me", "", ""},
    R"({"error":{"type":"OAuthException","message":"Invalid OAuth access token.","code":300}})"));
  CAF_CHECK(!parse_body(tidal_wire(), td, {"me", "", ""}, R"({"data":[]})"));
}

CAF_TEST(next links never leave the configured origin) {
  CAF_CHECK_EQUAL(
    resolve_next("http://127.0.0.1:9000/v1",
                 "https://api.spotify.com/v1/me/tracks?offset=50"),
    "http://127.0.0.1:9000/v1/me/tracks?offset=50");
  CAF_CHECK_EQUAL(resolve_next(sp, "https://evil.example/steal?x=1"),
                  "https://api.spotify.com/steal?x=1");
  CAF_CHECK_EQUAL(
    resolve_next(
      td, "/userCollectionTracks/me/relationships/items?page%5Bcursor%5D=a"),
    td + "/userCollectionTracks/me/relationships/items?page%5Bcursor%5D=a");
  CAF_CHECK(resolve_next(sp, "").empty());
}

CAF_TEST(hostile bodies give recorded errors never crashes) {
  page_request liked{"liked", "", ""};
  // malformed JSON
  CAF_CHECK(!parse_body(spotify_wire(), sp, liked, R"({"items":[)"));
  CAF_CHECK(!parse_body(spotify_wire(), sp, liked, ""));
  CAF_CHECK(!parse_body(spotify_wire(), sp, liked, "[]"));
  CAF_CHECK(!parse_body(spotify_wire(), sp, liked, R"({"items":"nope"})"));
  // wrong types and missing fields: items skipped, counted, page kept
  auto page = parse_ok(
    spotify_wire(), sp, liked,
    R"({"items":[42,{"track":null},{"track":{"id":7,"name":["x"],"duration_ms":"long","artists":"none","external_ids":{"isrc":12}}},{"track":{"id":"ok1","name":"Fine","artists":[{"id":"a","name":"A"},3]}}],"next":17,"total":"many"})");
  CAF_CHECK_EQUAL(page.tracks.size(), 1u + 0u + 1u);
  CAF_CHECK_EQUAL(page.skipped, 2);
  CAF_CHECK(page.next.empty());
  CAF_CHECK_EQUAL(page.total, -1);
  // a numeric id is read as text; wrong-typed fields are empty
  CAF_CHECK_EQUAL(provider_id(page.tracks[0], "spotify"), "7");
  CAF_CHECK_EQUAL(page.tracks[0].title, "");
  CAF_CHECK_EQUAL(page.tracks[0].duration_ms, 0);
  // huge strings are cut, invalid UTF-8 is replaced
  std::string huge(1'000'000, 'a');
  auto big = parse_ok(spotify_wire(), sp, liked,
                      R"({"items":[{"track":{"id":"h","name":")" + huge
                        + "\xff\xfe" + R"("}}],"next":null})");
  CAF_REQUIRE_EQUAL(big.tracks.size(), 1u);
  CAF_CHECK_EQUAL(big.tracks[0].title.size(), max_string_bytes);
  auto bad_utf8
    = parse_ok(deezer_wire(), dz, liked,
               "{\"data\":[{\"id\":1,\"title\":\"Caf\xe9 \xc3\x28\"}]}");
  CAF_REQUIRE_EQUAL(bad_utf8.tracks.size(), 1u);
  CAF_CHECK_EQUAL(bad_utf8.tracks[0].title, "Caf\xEF\xBF\xBD \xEF\xBF\xBD(");
  // a million-item page is refused as a whole
  std::string million = R"({"data":[)";
  million.reserve(4'000'000);
  for (int i = 0; i < 1'000'000; ++i)
    million += i ? ",{}" : "{}";
  million += "]}";
  auto refused = parse_body(deezer_wire(), dz, liked, million);
  CAF_REQUIRE(!refused);
  CHECK_MSG(render(refused.error()).find("1000000 items") != std::string::npos,
            render(refused.error()));
  // TIDAL: identifiers without included resources are skipped and counted
  auto tid = parse_ok(
    tidal_wire(), td, liked,
    R"({"data":[{"id":"1","type":"tracks"},{"id":2}],"included":[],"links":{}})");
  CAF_CHECK_EQUAL(tid.tracks.size(), 0u);
  CAF_CHECK_EQUAL(tid.skipped, 2);
  CAF_CHECK(!parse_body(
    tidal_wire(), td, liked,
    R"({"errors":[{"status":"429","detail":"Rate limit exceeded"}]})"));
}
