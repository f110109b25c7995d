#define CAF_SUITE storage.queries.images
#include "storage/migrated_db.hpp"

#include "storage/queries/images.hpp"
#include "storage/writes/images.hpp"

using namespace discotheque;
using namespace discotheque::storage;

namespace {

struct fixture : test::migrated_db {
  fixture() {
    db.exec(R"(
      INSERT INTO artists(id, name, normalized_name, ownership_state) VALUES
        (1, 'A', 'a', 'owned'), (2, 'B', 'b', 'ignored');
      INSERT INTO albums(id, title, normalized_title, mbid, release_group_mbid)
        VALUES (10, 'X', 'x', 'rel-10', 'rg-10'), (11, 'Y', 'y', NULL, NULL),
               (12, 'Z', 'z', 'rel-12', NULL);
      INSERT INTO tracks(id, title, normalized_title, album_id, local_path)
        VALUES (100, 't', 't', 11, '/music/Y/01.flac');
      INSERT INTO playlists(id, name, provider, provider_id, cover_url) VALUES
        (5, 'P', 'deezer', 'dz5', 'https://e-cdns/p5.jpg');
      INSERT INTO images(entity_type, entity_id, url, source, state) VALUES
        ('artist', 1, 'https://i.scdn.co/a1', 'spotify', 'url_found');
      INSERT INTO provider_cache(url, provider, status, body, fetched_at) VALUES
        ('https://mb/ws/2/release/rel-12?inc=labels&fmt=json', 'musicbrainz',
         200, '{"cover-art-archive":{"front":false,"count":0}}', 1),
        ('https://mb/ws/2/release/rel-10?fmt=json', 'musicbrainz', 200,
         '{"cover-art-archive":{"front":true}}', 1);
    )");
  }

  const image_work* find(const image_plan& p, const std::string& type,
                         int64_t id) {
    for (const auto& w : p.work)
      if (w.entity_type == type && w.entity_id == id)
        return &w;
    return nullptr;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(image_queries, fixture)

CAF_TEST(the work of a run names every entity not ignored) {
  auto plan = image_work_of(db, "https://mb/ws/2");
  CAF_CHECK_EQUAL(plan.concurrency, 5);  // the seeded setting
  CAF_CHECK_EQUAL(plan.work.size(), 5u); // artist 1, albums 10-12, playlist
  CAF_CHECK(find(plan, "artist", 2) == nullptr);
  const auto* a = find(plan, "artist", 1);
  CAF_REQUIRE(a != nullptr);
  CAF_CHECK_EQUAL(a->provider_url, "https://i.scdn.co/a1");
  CAF_CHECK_EQUAL(a->provider_source, "spotify");
  CAF_CHECK_EQUAL(a->state, "url_found");
  const auto* x = find(plan, "album", 10);
  CAF_REQUIRE(x != nullptr);
  CAF_CHECK_EQUAL(x->mbid, "rel-10");
  CAF_CHECK_EQUAL(x->release_group_mbid, "rg-10");
  CAF_CHECK(x->caa_front);
  CAF_CHECK_EQUAL(x->state, "");
  const auto* y = find(plan, "album", 11);
  CAF_REQUIRE(y != nullptr);
  CAF_CHECK_EQUAL(y->local_folder, "/music/Y");
  const auto* z = find(plan, "album", 12);
  CAF_REQUIRE(z != nullptr);
  CAF_CHECK(!z->caa_front); // the cached release says so
  const auto* p = find(plan, "playlist", 5);
  CAF_REQUIRE(p != nullptr);
  CAF_CHECK_EQUAL(p->provider_url, "https://e-cdns/p5.jpg");
  CAF_CHECK_EQUAL(p->provider_source, "deezer");
  // without the MusicBrainz base the cache is not looked at
  auto blind = image_work_of(db, "");
  CAF_CHECK(find(blind, "album", 12)->caa_front);
}

CAF_TEST(the setting overrides the concurrency) {
  db.exec("UPDATE settings SET value = '2' WHERE key ="
          " 'library.image_download_concurrency'");
  CAF_CHECK_EQUAL(image_work_of(db, "").concurrency, 2);
  db.exec("UPDATE settings SET value = '\"x\"' WHERE key ="
          " 'library.image_download_concurrency'");
  CAF_CHECK_EQUAL(image_work_of(db, "").concurrency, 0);
}

CAF_TEST(the stored image of an entity) {
  auto none = stored_image_of(db, "album", 99);
  CAF_CHECK(!none.entity_exists);
  auto bare = stored_image_of(db, "album", 10);
  CAF_CHECK(bare.entity_exists);
  CAF_CHECK_EQUAL(bare.path, "");
  image_outcome o;
  o.entity_type = "album";
  o.entity_id = 10;
  o.state = "downloaded";
  o.path = "/d/images/albums/10.png";
  o.content_type = "image/png";
  o.url = "https://caa/x.png";
  o.source = "coverartarchive";
  for (const auto& s : record_image_outcome(o, 42).statements)
    db.run(s);
  auto img = stored_image_of(db, "album", 10);
  CAF_CHECK_EQUAL(img.path, "/d/images/albums/10.png");
  CAF_CHECK_EQUAL(img.state, "downloaded");
  CAF_CHECK_EQUAL(img.content_type, "image/png");
  CAF_CHECK_EQUAL(img.fetched_at, 42);
  CAF_CHECK(stored_image_of(db, "playlist", 5).entity_exists);
  CAF_CHECK(stored_image_of(db, "artist", 2).entity_exists);
}

CAF_TEST_FIXTURE_SCOPE_END()
