#define CAF_SUITE http.api.downloads
#include "fixture.hpp"

#include "http/api/downloads.hpp"
#include "storage/migrations.hpp"
#include "storage/writes/downloads.hpp"
#include "support/time.hpp"

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
      INSERT INTO artists(id, name, normalized_name) VALUES (1, 'Daft Punk', 'daft punk');
      INSERT INTO albums(id, title, normalized_title) VALUES (10, 'Discovery', 'discovery');
      INSERT INTO tracks(id, title, normalized_title, album_id, artist_id, ownership_state,
                         download_state, download_state_updated_at)
        VALUES (1, 'One More Time', 'one more time', 10, 1, 'owned', 'pending', 1),
               (2, 'Aerodynamic', 'aerodynamic', 10, 1, 'owned', 'pending', 2);
    )");
    auto now = now_ms();
    for (const auto& req :
         {storage::start_download(1, "worker", now),
          storage::record_decision(1, "slskd", "daft punk one more time",
                                   "alice", "A\\01.flac", 3.5,
                                   R"({"margin":3.5})", now),
          storage::fail_download(1, "no candidate passed the gates", now)})
      for (const auto& s : req.statements)
        rw.run(s);
    ro = storage::database::open(dir / "l.db",
                                 storage::database::mode::read_only);
  }

  http::response get(const std::string& path) {
    http::request req;
    req.method = "GET";
    req.path = path;
    req.target = path;
    http::reader_router routes;
    http::add_download_routes(routes);
    CAF_REQUIRE(routes.owns(path));
    auto m = routes.match(req);
    if (m.error)
      return *m.error;
    return (*m.handler)(req, m.params, ro).res;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(download_api, fixture)

CAF_TEST(the queue lists pending and failed tracks with counts) {
  auto r = get("/api/library/downloads");
  CAF_REQUIRE_EQUAL(r.status, 200);
  auto body = json::parse(r.body);
  CAF_CHECK_EQUAL(body["counts"]["pending"].get<int>(), 1);
  CAF_CHECK_EQUAL(body["counts"]["failed"].get<int>(), 1);
  CAF_CHECK_EQUAL(body["counts"]["failed_24h"].get<int>(), 1);
  CAF_REQUIRE_EQUAL(body["items"].size(), 2u);
  const auto& failed = body["items"][1];
  CAF_CHECK_EQUAL(failed["state"].get<std::string>(), "failed");
  CAF_CHECK_EQUAL(failed["last_error"].get<std::string>(),
                  "no candidate passed the gates");
  CAF_CHECK_EQUAL(failed["artist"].get<std::string>(), "Daft Punk");
  CAF_CHECK(failed["retry_at"].is_number_integer());
  CAF_CHECK(body["items"][0]["last_error"].is_null());
}

CAF_TEST(a track history shows transitions and decisions) {
  auto r = get("/api/library/tracks/1/downloads");
  CAF_REQUIRE_EQUAL(r.status, 200);
  auto body = json::parse(r.body);
  CAF_CHECK_EQUAL(body["events"].size(), 2u);
  CAF_CHECK_EQUAL(body["decisions"].size(), 1u);
  CAF_CHECK_EQUAL(body["decisions"][0]["record"]["margin"].get<double>(), 3.5);
  auto missing = get("/api/library/tracks/99/downloads");
  CAF_CHECK_EQUAL(missing.status, 404);
  auto bad = get("/api/library/tracks/x/downloads");
  CAF_CHECK_EQUAL(bad.status, 400);
}

CAF_TEST_FIXTURE_SCOPE_END()
