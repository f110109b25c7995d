#define CAF_SUITE actors.sources.tidal
#include "actors/sources/wire_fixture.hpp"

using namespace wire_test;

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
