#define CAF_SUITE actors.tasks.enrich_images
#include "fixture.hpp"
#include "scan/pictures.hpp"

#include "actors/images/image_pool.hpp"
#include "actors/store.hpp"
#include "actors/tasks/enrich_images.hpp"
#include "messages/error.hpp"
#include "storage/database.hpp"
#include "storage/writes/images.hpp"
#include "support/time.hpp"

#include <caf/event_based_actor.hpp>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace discotheque;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr int64_t day = int64_t{24} * 3600 * 1000;

const std::string jpeg = std::string{"\xFF\xD8\xFF\xE0", 4} + "JFIF";

void write_file(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream out{p, std::ios::binary};
  out << bytes;
}

std::string read_file(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

struct fixture : test::fixture_base {
  test::temp_dir dir;
  store_actor st;
  image_pool_actor pool;
  task_env env;

  fixture() {
    store_config cfg;
    cfg.db_path = dir / "library.db";
    st = sys.spawn(store, cfg);
    sched.run();
    image_pool_config pc;
    pc.root = dir / "data" / "images";
    pc.limit = 2;
    pc.store = st;
    pc.limits.connect_timeout_ms = 2000;
    pc.limits.timeout_ms = 3000;
    auto root = pc.root;
    auto limits = pc.limits;
    pc.spawn_worker = [root, limits](caf::actor_system& s) {
      return s.spawn(image_worker, root, limits);
    };
    pool = sys.spawn(image_pool, pc);
    sched.run();
    env.cfg.data_dir = dir / "data";
    env.db_path = cfg.db_path;
    env.store = st;
    env.images = pool;
    env.detached = false;
  }

  ~fixture() {
    anon_send_exit(pool, caf::exit_reason::user_shutdown);
    anon_send_exit(st, caf::exit_reason::user_shutdown);
    sched.run();
  }

  void exec(const std::string& sql) {
    auto db = storage::database::open(dir / "library.db");
    db.exec(sql);
  }

  std::string text(const std::string& sql) {
    auto db = storage::database::open(dir / "library.db");
    return db.query_text(sql).value_or("<null>");
  }

  json run_task() {
    auto task = sys.spawn(enrich_images, env);
    auto result = std::make_shared<task_result>();
    auto error = std::make_shared<std::string>();
    sys.spawn([=](caf::event_based_actor* self) {
      self
        ->request(task, caf::infinite, atom::run_v,
                  task_request{"enrich_images", "manual", 1})
        .then([=](const task_result& r) { *result = r; },
              [=](const caf::error& err) { *error = render(err); });
    });
    sched.run();
    CHECK_MSG(error->empty(), *error);
    anon_send_exit(task, caf::exit_reason::user_shutdown);
    sched.run();
    CAF_CHECK(result->status == run_status::succeeded);
    return result->stats_json.empty() ? json::object()
                                      : json::parse(result->stats_json);
  }
};

image_work work(std::string state) {
  image_work w;
  w.entity_type = "album";
  w.entity_id = 1;
  w.state = std::move(state);
  return w;
}

} // namespace

CAF_TEST(what is not looked at again) {
  auto now = 100 * day;
  auto w = work("failed");
  w.attempts = 1;
  w.next_attempt_at = now + 1;
  CAF_CHECK_EQUAL(image_skip_reason(w, now), "backoff");
  w.next_attempt_at = now - 1;
  CAF_CHECK_EQUAL(image_skip_reason(w, now), "");
  w.attempts = 3;
  w.next_attempt_at = 0;
  CAF_CHECK_EQUAL(image_skip_reason(w, now), "gave_up");
  w = work("none");
  w.next_attempt_at = now + day;
  CAF_CHECK_EQUAL(image_skip_reason(w, now), "none_recently");
  w = work("downloaded");
  w.path = "/d/images/albums/1.jpg";
  w.url = "https://x/1.jpg";
  w.provider_url = "https://x/1.jpg";
  w.fetched_at = now - day;
  CAF_CHECK_EQUAL(image_skip_reason(w, now), "fresh");
  w.provider_url = "https://x/new.jpg"; // the provider changed its link
  CAF_CHECK_EQUAL(image_skip_reason(w, now), "");
  w.provider_url = w.url;
  w.fetched_at = now - 31 * day; // old: revalidated (ETag)
  CAF_CHECK_EQUAL(image_skip_reason(w, now), "");
  w.fetched_at = now - day;
  w.path.clear(); // the file is gone
  CAF_CHECK_EQUAL(image_skip_reason(w, now), "");
  CAF_CHECK_EQUAL(image_skip_reason(work("url_found"), now), "");
  CAF_CHECK_EQUAL(image_skip_reason(work(""), now), "");
}

CAF_TEST(the archive is asked for albums with an MBID) {
  auto w = work("");
  CAF_CHECK(!wants_caa(w));
  w.release_group_mbid = "rg";
  CAF_CHECK(wants_caa(w));
  w.caa_front = false;
  CAF_CHECK(!wants_caa(w));
  w = work("");
  w.mbid = "rel";
  w.entity_type = "artist";
  CAF_CHECK(!wants_caa(w));
}

CAF_TEST(local cover files) {
  test::temp_dir d;
  CAF_CHECK_EQUAL(find_local_cover(d.path), "");
  CAF_CHECK_EQUAL(find_local_cover(""), "");
  write_file(d / "folder.png", "x");
  CAF_CHECK_EQUAL(find_local_cover(d.path), (d / "folder.png").string());
  write_file(d / "cover.jpg", "x");
  CAF_CHECK_EQUAL(find_local_cover(d.path), (d / "cover.jpg").string());
}

CAF_TEST_FIXTURE_SCOPE(enrich_images_tests, fixture)

CAF_TEST(a run stores local covers and records failures with backoff) {
  auto music = dir / "music";
  write_file(music / "Y" / "cover.jpg", jpeg);
  write_file(music / "Z" / "folder.jpg", "<html>not an image</html>");
  exec("INSERT INTO albums(id, title, normalized_title) VALUES"
       " (11, 'Y', 'y'), (12, 'Z', 'z'), (13, 'W', 'w');"
       "INSERT INTO tracks(id, title, normalized_title, album_id, local_path)"
       " VALUES (100, 't', 't', 11, '"
       + (music / "Y" / "01.flac").string() + "'), (101, 'u', 'u', 12, '"
       + (music / "Z" / "01.flac").string()
       + "');"
         "INSERT INTO artists(id, name, normalized_name) VALUES (1, 'A', 'a');"
         "INSERT INTO images(entity_type, entity_id, url, source, state)"
         " VALUES ('artist', 1, 'http://127.0.0.1:1/a.jpg', 'spotify',"
         " 'url_found');");
  auto stats = run_task();
  CAF_MESSAGE(stats.dump());
  CAF_CHECK_EQUAL(stats["albums"], 3);
  CAF_CHECK_EQUAL(stats["artists"], 1);
  CAF_CHECK_EQUAL(stats["downloaded"], 1);
  CAF_CHECK_EQUAL(stats["failed"], 2);
  CAF_CHECK_EQUAL(stats["no_source"], 1); // album 13: nothing anywhere
  CAF_CHECK_EQUAL(stats["url_found"], 3);
  auto y = dir / "data" / "images" / "albums" / "11.jpg";
  CAF_CHECK(fs::exists(y));
  CAF_CHECK_EQUAL(text("SELECT state || ' ' || source || ' ' || path FROM"
                       " images WHERE entity_type = 'album' AND entity_id ="
                       " 11"),
                  "downloaded local " + y.string());
  CAF_CHECK_EQUAL(text("SELECT state || ': ' || last_error FROM images WHERE"
                       " entity_type = 'album' AND entity_id = 12"),
                  "failed: not a JPEG, PNG or WebP image");
  CAF_CHECK_EQUAL(text("SELECT state || ' ' || attempts FROM images WHERE"
                       " entity_type = 'artist' AND entity_id = 1"),
                  "failed 1");
  CAF_CHECK_EQUAL(stats["errors"].size(), 2u);
  // the next run: the failures wait for their retry, the cover is fresh
  auto again = run_task();
  CAF_MESSAGE(again.dump());
  CAF_CHECK_EQUAL(again["skipped_backoff"], 2);
  CAF_CHECK_EQUAL(again["skipped_fresh"], 1);
  CAF_CHECK(!again.contains("downloaded"));
  CAF_CHECK(!again.contains("failed"));
  // nothing was written outside the image folder
  size_t n = 0;
  for (auto& e : fs::recursive_directory_iterator(dir / "data"))
    if (e.is_regular_file()) {
      ++n;
      CAF_CHECK_EQUAL(e.path().parent_path(),
                      dir / "data" / "images" / "albums");
    }
  CAF_CHECK_EQUAL(n, 1u);
}

CAF_TEST(a local album without a cover file gets its embedded picture) {
  auto music = dir / "music";
  auto e = test::corpus_copy(".mp3", music / "E" / "01.mp3");
  test::embed_picture(e, jpeg, "image/jpeg");
  auto plain = test::corpus_copy(".mp3", music / "P" / "01.mp3");
  exec("INSERT INTO albums(id, title, normalized_title) VALUES"
       " (14, 'E', 'e'), (15, 'P', 'p');"
       "INSERT INTO tracks(id, title, normalized_title, album_id, local_path)"
       " VALUES (102, 't', 't', 14, '"
       + e.string() + "'), (103, 'u', 'u', 15, '" + plain.string() + "');");
  auto stats = run_task();
  CAF_MESSAGE(stats.dump());
  CAF_CHECK_EQUAL(stats["downloaded"], 1);
  CAF_CHECK_EQUAL(stats["none"], 1); // album 15: its file has no picture
  auto img = dir / "data" / "images" / "albums" / "14.jpg";
  CAF_CHECK_EQUAL(read_file(img), jpeg);
  CAF_CHECK_EQUAL(text("SELECT state || ' ' || source || ' ' || url FROM"
                       " images WHERE entity_type = 'album' AND entity_id ="
                       " 14"),
                  "downloaded local " + e.string());
  CAF_CHECK_EQUAL(text("SELECT state FROM images WHERE entity_type = 'album'"
                       " AND entity_id = 15"),
                  "none");
  // unchanged: not read again; a cover file put next to it wins later
  auto again = run_task();
  CAF_CHECK_EQUAL(again["skipped_fresh"], 1);
  CAF_CHECK(!again.contains("downloaded"));
}

CAF_TEST(a changed setting sets the pool limit) {
  exec("UPDATE settings SET value = '3' WHERE key ="
       " 'library.image_download_concurrency'");
  auto stats = run_task();
  CAF_CHECK_EQUAL(stats["download_concurrency"], 3);
}

CAF_TEST_FIXTURE_SCOPE_END()
