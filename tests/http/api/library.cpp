#define CAF_SUITE http.api.library
#include "fixture.hpp"

#include "http/api/library.hpp"
#include "storage/migrations.hpp"

using namespace discotheque;
using json = nlohmann::json;

namespace {

struct fixture {
  test::temp_dir dir;
  storage::database rw;
  storage::database ro;

  fixture() {
    rw = storage::database::open(dir / "l.db");
    storage::migrate(rw);
    rw.exec(R"(
      INSERT INTO artists(id, name, normalized_name, mbid, ownership_state, primary_source)
        VALUES (1, 'Björk', 'bjork', 'b0000000-0000-0000-0000-000000000001', 'owned', 'local'),
               (2, 'Daft Punk', 'daft punk', NULL, 'discovered', 'spotify'),
               (3, 'The Beatles', 'beatles', NULL, 'discovered', 'local');
      INSERT INTO albums(id, title, normalized_title, ownership_state, primary_source, genres)
        VALUES (10, 'Homogenic', 'homogenic', 'owned', 'local', '["pop"]');
      INSERT INTO album_artists VALUES (10, 1, 0);
      INSERT INTO tracks(id, title, normalized_title, album_id, artist_id, ownership_state,
                         primary_source, download_state, local_path, isrc)
        VALUES (100, 'Jóga', 'joga', 10, 1, 'owned', 'local', 'downloaded', '/m/joga.flac', 'GBAAA9700001'),
               (101, 'Bachelorette', 'bachelorette', 10, 1, 'owned', 'local', 'downloaded', '/m/b.flac', NULL),
               (102, 'Get Lucky', 'get lucky', NULL, 2, 'discovered', 'spotify', 'not_needed', NULL, NULL);
      INSERT INTO track_artists VALUES (100, 1, 'main', 0), (101, 1, 'main', 0), (102, 2, 'main', 0);
      INSERT INTO ownership_claims(entity_type, entity_id, source, reason) VALUES ('track', 100, 'local', 'file');
      INSERT INTO scan_errors(path, reason, file_size, seen_at) VALUES ('/m/x.mp3', 'empty file', 0, 1700000000000);
    )");
    ro = storage::database::open(dir / "l.db",
                                 storage::database::mode::read_only);
  }

  std::optional<http::api_outcome>
  get(const std::string& path, std::map<std::string, std::string> q = {},
      std::string method = "GET") {
    http::request req;
    req.method = method;
    req.path = path;
    req.target = path;
    req.query = std::move(q);
    // Through the read side's route table, as the reader runs it; nullopt
    // for a path it has no route for.
    http::reader_router routes;
    http::add_library_routes(routes);
    if (!routes.owns(path))
      return std::nullopt;
    auto m = routes.match(req);
    if (m.error)
      return http::api_outcome{std::move(*m.error), std::nullopt};
    return (*m.handler)(req, m.params, ro);
  }

  /// By value: CAF_CHECK_EQUAL keeps references to its arguments.
  int status(const std::string& path, std::map<std::string, std::string> q = {},
             std::string method = "GET") {
    auto o = get(path, std::move(q), std::move(method));
    return o ? o->res.status : -1;
  }

  json body(const std::optional<http::api_outcome>& o) {
    return json::parse(o->res.body);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(library_api_tests, fixture)

CAF_TEST(other paths are not ours) {
  CAF_CHECK(!get("/api/library/tasks"));
  CAF_CHECK(!get("/api/library/tasks/scan_local_library"));
  CAF_CHECK(!get("/api/library/status"));
  CAF_CHECK(!get("/api/health"));
  CAF_CHECK_EQUAL(status("/api/library/tracks", {}, "POST"), 405);
}

CAF_TEST(lists page and filter) {
  auto r = get("/api/library/tracks", {{"limit", "2"}});
  CAF_REQUIRE(r);
  CAF_CHECK_EQUAL(r->res.status, 200);
  auto b = body(r);
  CAF_CHECK_EQUAL(b["total"].get<int64_t>(), 3);
  CAF_CHECK_EQUAL(b["items"].size(), 2u);
  CAF_CHECK_EQUAL(b["items"][0]["id"].get<int64_t>(), 100);
  b = body(get("/api/library/tracks", {{"limit", "2"}, {"offset", "2"}}));
  CAF_CHECK_EQUAL(b["items"].size(), 1u);
  CAF_CHECK_EQUAL(b["items"][0]["id"].get<int64_t>(), 102);
  b = body(get("/api/library/tracks", {{"download_state", "downloaded"}}));
  CAF_CHECK_EQUAL(b["total"].get<int64_t>(), 2);
  b = body(get("/api/library/tracks", {{"source", "spotify"}}));
  CAF_CHECK_EQUAL(b["total"].get<int64_t>(), 1);
  b = body(get("/api/library/artists", {{"ownership_state", "owned"}}));
  CAF_CHECK_EQUAL(b["total"].get<int64_t>(), 1);
  CAF_CHECK_EQUAL(b["items"][0]["name"].get<std::string>(), "Björk");
  b = body(get("/api/library/albums", {{"artist_id", "1"}}));
  CAF_CHECK_EQUAL(b["total"].get<int64_t>(), 1);
  CAF_CHECK_EQUAL(b["items"][0]["genres"][0].get<std::string>(), "pop");
  b = body(get("/api/library/tracks", {{"artist_id", "2"}}));
  CAF_CHECK_EQUAL(b["total"].get<int64_t>(), 1);
}

CAF_TEST(search ignores case and accents) {
  auto b = body(get("/api/library/artists", {{"q", "BJORK"}}));
  CAF_CHECK_EQUAL(b["total"].get<int64_t>(), 1);
  b = body(get("/api/library/tracks", {{"q", "joga"}}));
  CAF_CHECK_EQUAL(b["total"].get<int64_t>(), 1);
  b = body(get("/api/library/tracks", {{"q", "100%"}}));
  CAF_CHECK_EQUAL(b["total"].get<int64_t>(), 0);
}

CAF_TEST(an exact name is found as typed and as normalized) {
  for (const char* q :
       {"The Beatles", "the beatles", "beatles", "Beatles, The", "BEAT"}) {
    auto b = body(get("/api/library/artists", {{"q", q}}));
    CHECK_MSG(b["total"].get<int64_t>() == 1, "q=" << q);
    CAF_CHECK_EQUAL(b["items"][0]["name"].get<std::string>(), "The Beatles");
  }
  auto b = body(get("/api/library/artists", {{"q", "the"}}));
  CAF_CHECK_EQUAL(b["total"].get<int64_t>(), 1); // display name only
}

CAF_TEST(times are iso 8601 and flags booleans) {
  rw.exec("UPDATE tracks SET file_mtime = 1700000000123456789, "
          "download_state_updated_at = 1700000000000 WHERE id = 100");
  auto t = body(get("/api/library/tracks/100"));
  CAF_CHECK_EQUAL(t["file_mtime"].get<std::string>(),
                  "2023-11-14T22:13:20.123Z");
  CAF_CHECK_EQUAL(t["download_state_updated_at"].get<std::string>(),
                  "2023-11-14T22:13:20.000Z");
  CAF_CHECK(t["created_at"].is_string());
  CAF_CHECK(t["updated_at"].is_string());
  CAF_CHECK(t["orphaned"].is_boolean());
  auto l = body(get("/api/library/artists"));
  CAF_CHECK(l["items"][0]["created_at"].is_string());
}

CAF_TEST(list items carry the names a client shows) {
  auto b = body(get("/api/library/tracks", {{"album_id", "10"}}));
  CAF_CHECK_EQUAL(b["items"][0]["artist_name"].get<std::string>(), "Björk");
  CAF_CHECK_EQUAL(b["items"][0]["album_title"].get<std::string>(), "Homogenic");
  b = body(get("/api/library/albums"));
  CAF_CHECK_EQUAL(b["items"][0]["artist_name"].get<std::string>(), "Björk");
}

CAF_TEST(lists sort by name created or updated) {
  auto b = body(get("/api/library/artists", {{"sort", "name"}}));
  CAF_CHECK_EQUAL(b["items"][0]["name"].get<std::string>(), "The Beatles");
  b = body(get("/api/library/artists", {{"sort", "-name"}}));
  CAF_CHECK_EQUAL(b["items"][0]["name"].get<std::string>(), "Daft Punk");
  b = body(get("/api/library/tracks", {{"sort", "-created"}}));
  CAF_CHECK_EQUAL(b["items"].size(), 3u);
  CAF_CHECK_EQUAL(status("/api/library/artists", {{"sort", "size"}}), 400);
}

CAF_TEST(unknown parameters are 400 naming them) {
  auto o = get("/api/library/artists", {{"ownership", "owned"}});
  CAF_REQUIRE(o);
  CAF_CHECK_EQUAL(o->res.status, 400);
  CAF_CHECK(o->res.body.find("ownership") != std::string::npos);
  CAF_CHECK_EQUAL(status("/api/library/artists", {{"apikey", "k"}}), 200);
  CAF_CHECK_EQUAL(status("/api/library/tracks/100", {{"x", "1"}}), 400);
  CAF_CHECK_EQUAL(status("/api/library/scan/errors", {{"q", "x"}}), 400);
}

CAF_TEST(bad parameters are 400) {
  CAF_CHECK_EQUAL(status("/api/library/tracks", {{"limit", "0"}}), 400);
  CAF_CHECK_EQUAL(status("/api/library/tracks", {{"limit", "x"}}), 400);
  CAF_CHECK_EQUAL(status("/api/library/tracks", {{"download_state", "lost"}}),
                  400);
  CAF_CHECK_EQUAL(status("/api/library/tracks/abc"), 400);
  CAF_CHECK_EQUAL(status("/api/library/tracks/999"), 404);
}

CAF_TEST(details carry ids and relations) {
  auto b = body(get("/api/library/tracks/100"));
  CAF_CHECK_EQUAL(b["isrc"].get<std::string>(), "GBAAA9700001");
  CAF_CHECK_EQUAL(b["album"]["title"].get<std::string>(), "Homogenic");
  CAF_CHECK_EQUAL(b["artists"][0]["name"].get<std::string>(), "Björk");
  CAF_CHECK_EQUAL(b["artists"][0]["role"].get<std::string>(), "main");
  CAF_CHECK_EQUAL(b["claims"][0]["reason"].get<std::string>(), "file");
  b = body(get("/api/library/albums/10"));
  CAF_CHECK_EQUAL(b["tracks"].size(), 2u);
  CAF_CHECK_EQUAL(b["artists"][0]["id"].get<int64_t>(), 1);
  b = body(get("/api/library/artists/1"));
  CAF_CHECK_EQUAL(b["mbid"].get<std::string>(),
                  "b0000000-0000-0000-0000-000000000001");
  CAF_CHECK_EQUAL(b["albums"].size(), 1u);
  CAF_CHECK_EQUAL(b["owned_track_count"].get<int64_t>(), 2);
}

CAF_TEST(scan errors are listed) {
  auto b = body(get("/api/library/scan/errors"));
  CAF_CHECK_EQUAL(b["total"].get<int64_t>(), 1);
  CAF_CHECK_EQUAL(b["items"][0]["path"].get<std::string>(), "/m/x.mp3");
  CAF_CHECK_EQUAL(b["items"][0]["reason"].get<std::string>(), "empty file");
  CAF_CHECK_EQUAL(b["items"][0]["seen_at"].get<std::string>(),
                  "2023-11-14T22:13:20.000Z");
}

CAF_TEST_FIXTURE_SCOPE_END()
