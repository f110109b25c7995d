#define CAF_SUITE actors.sources.deezer
#include "actors/sources/wire_fixture.hpp"

using namespace wire_test;

namespace {

http_reply make_reply(int status, std::string body) {
  http_reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

} // namespace

CAF_TEST(deezer errors inside HTTP 200 are classified) {
  CAF_CHECK(
    classify_deezer(make_reply(
      200,
      R"({"error":{"type":"Exception","message":"Quota limit exceeded","code":4}})"))
    == reply_class::rate_limited);
  CAF_CHECK(
    classify_deezer(make_reply(
      200,
      R"({"error":{"type":"DataException","message":"no data","code":800}})"))
    == reply_class::final_error);
  CAF_CHECK(
    classify_deezer(make_reply(
      200,
      R"({"error":{"type":"OAuthException","message":"Invalid OAuth access token.","code":300}})"))
    == reply_class::auth);
  CAF_CHECK(classify_deezer(make_reply(200, R"({"error":{"code":700}})"))
            == reply_class::transient);
  CAF_CHECK(classify_deezer(make_reply(200, R"({"data":[],"total":0})"))
            == reply_class::ok);
  CAF_CHECK(
    classify_deezer(make_reply(200, R"({"data":[{"title":"\"error\""}]})"))
    == reply_class::ok);
  CAF_CHECK(classify_deezer(make_reply(200, "{not json \"error\""))
            == reply_class::ok);
}

CAF_TEST(deezer lists map ids and strip the token from next) {
  auto t = parse_ok(deezer_wire(), dz, {"liked", "", ""},
                    fixture("deezer/user_me_tracks.json"));
  CAF_REQUIRE_EQUAL(t.tracks.size(), 3u);
  CAF_CHECK_EQUAL(provider_id(t.tracks[0], "deezer"), "1374789602");
  CAF_CHECK_EQUAL(t.tracks[0].title, "Flyover");
  CAF_CHECK_EQUAL(t.tracks[0].duration_ms, 258000);
  CAF_CHECK(!provider_id(t.tracks[0].album, "deezer").empty());
  CAF_CHECK(!t.tracks[0].artists.empty());
  CAF_CHECK(t.next.empty());
  auto al = parse_ok(deezer_wire(), dz, {"saved", "", ""},
                     fixture("deezer/user_me_albums.json"));
  CAF_REQUIRE_EQUAL(al.albums.size(), 2u);
  CAF_CHECK_EQUAL(provider_id(al.albums[0], "deezer"), "357404");
  CAF_CHECK_EQUAL(al.albums[0].title, "OK Cowboy");
  auto ar = parse_ok(deezer_wire(), dz, {"followed", "", ""},
                     fixture("deezer/user_me_artists.json"));
  CAF_REQUIRE_EQUAL(ar.artists.size(), 4u);
  CAF_CHECK_EQUAL(provider_id(ar.artists[0], "deezer"), "243");
  CAF_CHECK_EQUAL(ar.artists[0].name, "Wax Tailor");
  auto pl = parse_ok(deezer_wire(), dz, {"playlist_items", "", "9200461"},
                     fixture("deezer/playlist_9200461_tracks.json"));
  CAF_CHECK_EQUAL(pl.tracks.size(), 25u);
  CAF_CHECK(pl.next.empty());
  CAF_REQUIRE_EQUAL(pl.siblings.size(), 4u); // 102 tracks, 25 a page
  CAF_CHECK_EQUAL(pl.siblings[0],
                  "https://api.deezer.com/playlist/9200461/tracks?index=25");
  CAF_CHECK_EQUAL(pl.siblings[3],
                  "https://api.deezer.com/playlist/9200461/tracks?index=100");
  CAF_CHECK_EQUAL(with_query_param("http://h/p?a=1&index=5&b=2", "index", "30"),
                  "http://h/p?a=1&index=30&b=2");
  CAF_CHECK_EQUAL(with_query_param("http://h/p", "offset", "50"),
                  "http://h/p?offset=50");
  auto with_token = std::string{"https://api.deezer.com/user/me/tracks"}
                    + "?access_token=SECRET&index=25&limit=100";
  CAF_CHECK_EQUAL(deezer::strip_token(with_token),
                  "https://api.deezer.com/user/me/tracks?index=25&limit=100");
  auto pls = parse_ok(deezer_wire(), dz, {"playlists", "", ""},
                      fixture("deezer/user_359622_playlists.json"));
  CAF_CHECK_EQUAL(pls.playlists.size(), 25u);
  CAF_CHECK_EQUAL(pls.playlists[0].provider_id, "716369");
  CAF_CHECK_EQUAL(pls.playlists[0].owner_id, "359622");
}

CAF_TEST(deezer full track gives isrc and an error in HTTP 200 is an error) {
  auto doc = nlohmann::json::parse(fixture("deezer/track_3135556.json"));
  auto t = deezer::map_track(doc, nullptr);
  CAF_CHECK_EQUAL(t.isrc, "GBDUW0000059");
  CAF_CHECK_EQUAL(t.title, "Harder Better Faster Stronger");
  auto err
    = parse_body(deezer_wire(), dz, {"liked", "", ""},
                 fixture("deezer/error_album_minus1_http200_code800.json"));
  CAF_REQUIRE(!err);
  CHECK_MSG(render(err.error()).find("no data") != std::string::npos,
            render(err.error()));
}
