#define CAF_SUITE actors.sources.spotify
#include "actors/sources/wire_fixture.hpp"

using namespace wire_test;

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
