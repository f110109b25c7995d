#define CAF_SUITE actors.sources
#include "fixture.hpp"

#include "actors/sources/deezer.hpp"
#include "actors/sources/source.hpp"
#include "actors/sources/spotify.hpp"
#include "actors/sources/tidal.hpp"
#include "messages/error.hpp"

#include <fstream>
#include <sstream>

using namespace discotheque;

namespace {

std::string fixture(const std::string& rel) {
  auto path
    = std::filesystem::path{__FILE__}.parent_path().parent_path().parent_path()
      / "fixtures" / rel;
  std::ifstream in{path, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  if (ss.str().empty())
    CAF_FAIL("missing fixture " << path);
  return ss.str();
}

source_page parse_ok(const source_wire& w, const std::string& base,
                     page_request req, const std::string& body) {
  auto res = parse_body(w, base, req, body);
  if (!res)
    CAF_FAIL("parse failed: " << render(res.error()));
  return *res;
}

const std::string sp = "https://api.spotify.com/v1";
const std::string dz = "https://api.deezer.com";
const std::string td = "https://openapi.tidal.com/v2";

} // namespace

CAF_TEST(spotify liked tracks carry every id) {
  auto page = parse_ok(spotify_wire(), sp, {"liked", "", ""},
                       fixture("spotify/java_GetUsersSavedTracksRequest.json"));
  CAF_REQUIRE_EQUAL(page.tracks.size(), 1u);
  const auto& t = page.tracks[0];
  CAF_CHECK_EQUAL(provider_id(t, "spotify"), "2jpDioAB9tlYXMdXDK3BGl");
  CAF_CHECK_EQUAL(t.title, "Good Enough For Granddad");
  CAF_CHECK_EQUAL(t.isrc, "USMA20215185");
  CAF_CHECK_EQUAL(provider_id(t.album, "spotify"), "63GBbuUNBel2ovJjUrfh5r");
  CAF_CHECK(!t.artists.empty()
            && !provider_id(t.artists[0], "spotify").empty());
  CAF_CHECK(t.duration_ms > 0);
  CAF_CHECK_EQUAL(page.total, 53);
  // offset paging: every further page is known from the first one
  CAF_CHECK(page.next.empty());
  CAF_CHECK_EQUAL(
    page.siblings,
    (std::vector<std::string>{
      "https://api.spotify.com/v1/me/tracks?offset=20&limit=20",
      "https://api.spotify.com/v1/me/tracks?offset=40&limit=20"}));
  // a later page just links to its successor
  auto later = parse_ok(
    spotify_wire(), sp,
    {"liked", "https://api.spotify.com/v1/me/tracks?offset=20&limit=20", ""},
    fixture("spotify/java_GetUsersSavedTracksRequest.json"));
  CAF_CHECK(later.siblings.empty());
  CAF_CHECK_EQUAL(later.next,
                  "https://api.spotify.com/v1/me/tracks?offset=20&limit=20");
  CAF_CHECK_EQUAL(page.skipped, 0);
  auto big = parse_ok(spotify_wire(), sp, {"liked", "", ""},
                      fixture("spotify/js_user_saved_tracks.json"));
  CAF_CHECK_EQUAL(big.tracks.size(), 20u);
  CAF_CHECK_EQUAL(big.tracks[0].isrc, "GBURZ0800012");
}

CAF_TEST(spotify saved albums carry upc artists and tracks) {
  auto page
    = parse_ok(spotify_wire(), sp, {"saved", "", ""},
               fixture("spotify/java_GetCurrentUsersSavedAlbumsRequest.json"));
  CAF_REQUIRE_EQUAL(page.albums.size(), 1u);
  CAF_CHECK_EQUAL(provider_id(page.albums[0], "spotify"),
                  "5m4VYOPoIpkV0XgOiRKkWC");
  CAF_CHECK_EQUAL(page.albums[0].upc, "00602537623730");
  CAF_CHECK(!page.albums[0].artists.empty());
  CAF_CHECK_EQUAL(page.tracks.size(), 2u);
  for (const auto& t : page.tracks)
    CAF_CHECK_EQUAL(provider_id(t.album, "spotify"), "5m4VYOPoIpkV0XgOiRKkWC");
}

CAF_TEST(spotify followed artists use cursor paging) {
  auto page = parse_ok(spotify_wire(), sp, {"followed", "", ""},
                       fixture("spotify/js_followed_artists.json"));
  CAF_CHECK_EQUAL(page.artists.size(), 20u);
  CAF_CHECK_EQUAL(provider_id(page.artists[0], "spotify"),
                  "00FQb4jTyendYWaN8pK0wa");
  CAF_CHECK_EQUAL(page.artists[0].name, "Lana Del Rey");
  CAF_CHECK(page.next.find("after=1MbqzxZvHtdClX1cBKU2OG")
            != std::string::npos);
  auto last = parse_ok(
    spotify_wire(), sp, {"followed", "", ""},
    fixture("spotify/java_GetUsersFollowedArtistsRequest_None.json"));
  CAF_CHECK(last.next.empty());
}

CAF_TEST(spotify playlists and playlist items) {
  auto page = parse_ok(
    spotify_wire(), sp, {"playlists", "", ""},
    fixture("spotify/java_GetListOfCurrentUsersPlaylistsRequest.json"));
  CAF_REQUIRE_EQUAL(page.playlists.size(), 2u);
  CAF_CHECK_EQUAL(page.playlists[0].provider_id, "53Y8wT46QIMz5H4WQ8O22c");
  CAF_CHECK_EQUAL(page.playlists[0].name, "Wizzlers Big Playlist");
  CAF_CHECK_EQUAL(page.playlists[0].track_count, 30);
  CAF_CHECK_EQUAL(page.playlists[0].owner_id, "wizzler");
  auto items = parse_ok(spotify_wire(), sp, {"playlist_items", "", "x"},
                        fixture("spotify/java_GetPlaylistsItemsRequest.json"));
  // the second item's track is null (removed content): nothing to link
  CAF_CHECK_EQUAL(items.tracks.size(), 1u);
  CAF_CHECK_EQUAL(provider_id(items.tracks[0], "spotify"),
                  "7pk3EpFtmsOdj8iUhjmeCM");
  // the 2026 shape: "item" instead of "track"
  auto renamed = parse_ok(
    spotify_wire(), sp, {"playlist_items", "", "x"},
    R"({"items":[{"added_at":"2026-03-01T00:00:00Z","is_local":false,"item":{"id":"abc","name":"New","type":"track","artists":[{"id":"a1","name":"A"}]}}],"next":null,"total":1})");
  CAF_REQUIRE_EQUAL(renamed.tracks.size(), 1u);
  CAF_CHECK_EQUAL(provider_id(renamed.tracks[0], "spotify"), "abc");
  CAF_CHECK_EQUAL(
    spotify_wire().fallback_url(sp + "/playlists/p1/items?limit=50", 404),
    sp + "/playlists/p1/tracks?limit=50");
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

CAF_TEST(tidal playlists name their owner and artist albums their artist) {
  auto pls = parse_ok(tidal_wire(), td, {"playlists", "", ""}, R"({
    "data":[{"id":"p1","type":"playlists"},{"id":"p2","type":"playlists"}],
    "included":[
      {"id":"p1","type":"playlists","attributes":{"name":"Mine","numberOfItems":3},
       "relationships":{"owners":{"data":[{"id":"4711","type":"users"}]}}},
      {"id":"p2","type":"playlists","attributes":{"name":"Theirs","numberOfItems":1},
       "relationships":{"owners":{"data":[{"id":"99","type":"users"}]}}}],
    "links":{"self":"/userCollectionPlaylists/me/relationships/items"}})");
  CAF_REQUIRE_EQUAL(pls.playlists.size(), 2u);
  CAF_CHECK_EQUAL(pls.playlists[0].owner_id, "4711");
  CAF_CHECK_EQUAL(pls.playlists[1].owner_id, "99");
  auto als = parse_ok(tidal_wire(), td, {"artist_albums", "", "700001"}, R"({
    "data":[{"id":"800001","type":"albums"}],
    "included":[{"id":"800001","type":"albums","attributes":{"title":"First","barcodeId":"00602475093060"}}],
    "links":{"self":"/artists/700001/relationships/albums"}})");
  CAF_REQUIRE_EQUAL(als.albums.size(), 1u);
  CAF_CHECK_EQUAL(provider_id(als.albums[0], "tidal"), "800001");
  CAF_REQUIRE_EQUAL(als.albums[0].artists.size(), 1u);
  CAF_CHECK_EQUAL(provider_id(als.albums[0].artists[0], "tidal"), "700001");
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

CAF_TEST(tidal relationship documents resolve included resources) {
  auto page = parse_ok(
    tidal_wire(), td, {"album_tracks", "", "396698918"},
    fixture(
      "tidal/"
      "harmony_v2_albums_396698918_relationships_items_cursor_3nI1Esi.json"));
  CAF_CHECK_EQUAL(page.tracks.size() + static_cast<size_t>(page.skipped), 20u);
  CAF_REQUIRE(!page.tracks.empty());
  const auto& t = page.tracks[0];
  CAF_CHECK_EQUAL(provider_id(t, "tidal"), "396698939");
  CAF_CHECK_EQUAL(t.title, "HUM");
  CAF_CHECK_EQUAL(t.isrc, "AUNMG2400031");
  CAF_CHECK_EQUAL(t.duration_ms, 159000);
  CAF_CHECK_EQUAL(provider_id(t.album, "tidal"), "396698918");
  CAF_REQUIRE(!t.artists.empty());
  CAF_CHECK_EQUAL(t.artists[0].name, "Air Max '97");
  CAF_CHECK_EQUAL(
    page.next,
    td
      + "/albums/396698918/relationships/"
        "items?include=items.artists&page%5Bcursor%5D=3nI1F0y&countryCode=US");
  CAF_CHECK_EQUAL(tidal::parse_duration_ms("PT1H2M3.5S"), 3723500);
  CAF_CHECK_EQUAL(tidal::parse_duration_ms("P1D"), 0);
  CAF_CHECK_EQUAL(tidal::parse_duration_ms("PTxS"), 0);
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
