#define CAF_SUITE actors.images.image_pool
#include "fixture.hpp"

#include "actors/images/image_pool.hpp"
#include "actors/store.hpp"
#include "storage/database.hpp"
#include "support/time.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <fstream>
#include <memory>
#include <vector>

using namespace discotheque;
namespace fs = std::filesystem;

namespace {

/// Workers that hold every job until the test answers it: how many run at
/// once is then exactly what the pool allows.
struct held {
  std::vector<caf::actor> workers; ///< per job, the worker holding it
  std::vector<image_job> jobs;
  std::vector<caf::typed_response_promise<image_outcome>> promises;
  int spawned = 0;
};

/// Dynamically typed, so that the test can release a held job inside the
/// worker (a promise is delivered in its actor's context).
caf::behavior fake_worker(caf::event_based_actor* self,
                          std::shared_ptr<held> h) {
  return {
    [self, h](atom::img_get, const image_job& job) {
      auto p = self->make_response_promise<image_outcome>();
      h->workers.push_back(caf::actor_cast<caf::actor>(self));
      h->jobs.push_back(job);
      h->promises.push_back(p);
      return p;
    },
    [h](atom::ok_atom, uint64_t i, const image_outcome& o) {
      h->promises[i].deliver(o);
    },
  };
}

image_job job_for(int64_t id) {
  image_job j;
  j.entity_type = "album";
  j.entity_id = id;
  j.urls = {"https://img.example/" + std::to_string(id) + ".jpg"};
  j.sources = {"deezer"};
  return j;
}

struct fixture : test::fixture_base {
  test::temp_dir dir;
  store_actor st;
  std::shared_ptr<held> h = std::make_shared<held>();
  image_pool_actor pool;
  std::vector<image_outcome> answers;
  std::vector<std::string> errors;

  fixture() {
    store_config cfg;
    cfg.db_path = dir / "library.db";
    st = sys.spawn(store, cfg);
    sched.run();
    exec("INSERT INTO albums(id, title, normalized_title) VALUES"
         " (1,'a','a'),(2,'b','b'),(3,'c','c'),(4,'d','d'),(5,'e','e'),"
         " (6,'f','f'),(7,'g','g')");
  }

  ~fixture() {
    anon_send_exit(pool, caf::exit_reason::user_shutdown);
    anon_send_exit(st, caf::exit_reason::user_shutdown);
    sched.run();
  }

  void spawn_pool(int32_t limit, bool with_store = true) {
    image_pool_config pc;
    pc.root = dir / "images";
    pc.limit = limit;
    if (with_store)
      pc.store = st;
    pc.spawn_worker = [h = h](caf::actor_system& s) {
      ++h->spawned;
      return caf::actor_cast<image_worker_actor>(s.spawn(fake_worker, h));
    };
    pool = sys.spawn(image_pool, pc);
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

  int64_t num(const std::string& sql) {
    auto db = storage::database::open(dir / "library.db");
    return db.query_int(sql).value_or(-1);
  }

  /// Asks from an event-based actor (a scoped actor would block).
  template <class F>
  void ask(F f) {
    sys.spawn([f](caf::event_based_actor* asker) { f(asker); });
    sched.run();
  }

  void submit(image_job j) {
    ask([this, j](caf::event_based_actor* asker) {
      asker->request(pool, caf::infinite, atom::img_get_v, j)
        .then([this](const image_outcome& o) { answers.push_back(o); },
              [this](const caf::error& e) { errors.push_back(to_string(e)); });
    });
  }

  int32_t set_limit(int32_t n) {
    int32_t out = -1;
    ask([this, n, &out](caf::event_based_actor* asker) {
      asker->request(pool, caf::infinite, atom::img_limit_v, n)
        .then([&out](int32_t x) { out = x; });
    });
    return out;
  }

  std::tuple<int32_t, int32_t, int32_t, int32_t> stats() {
    std::tuple<int32_t, int32_t, int32_t, int32_t> out;
    ask([this, &out](caf::event_based_actor* asker) {
      asker->request(pool, caf::infinite, atom::img_stats_v)
        .then([&out](int32_t a, int32_t b, int32_t c, int32_t d) {
          out = std::make_tuple(a, b, c, d);
        });
    });
    return out;
  }

  /// Answers the i-th held job.
  void answer(size_t i, std::string state, std::string error = {}) {
    image_outcome o;
    o.entity_type = h->jobs[i].entity_type;
    o.entity_id = h->jobs[i].entity_id;
    o.state = std::move(state);
    o.url = h->jobs[i].urls.at(0);
    o.source = "deezer";
    o.error = std::move(error);
    if (o.state == "downloaded") {
      o.path
        = (dir / "images" / "albums" / (std::to_string(o.entity_id) + ".jpg"))
            .string();
      o.content_type = "image/jpeg";
      o.etag = "\"e1\"";
      o.bytes = 10;
    }
    caf::anon_send(h->workers[i], atom::ok_atom_v, static_cast<uint64_t>(i), o);
    sched.run();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(image_pool_tests, fixture)

CAF_TEST(never more downloads at once than the limit) {
  spawn_pool(3);
  for (int64_t id = 1; id <= 7; ++id)
    submit(job_for(id));
  CAF_CHECK_EQUAL(h->jobs.size(), 3u); // three started, four wait
  auto [limit, active, queued, max_active] = stats();
  CAF_CHECK_EQUAL(limit, 3);
  CAF_CHECK_EQUAL(active, 3);
  CAF_CHECK_EQUAL(queued, 4);
  CAF_CHECK_EQUAL(max_active, 3);
  answer(0, "downloaded");
  CAF_CHECK_EQUAL(h->jobs.size(), 4u); // the next one starts at once
  CAF_CHECK_EQUAL(answers.size(), 1u);
  for (size_t i = 1; i < 7; ++i) {
    answer(i, "downloaded");
    CAF_CHECK_LESS_OR_EQUAL(h->jobs.size() - answers.size(), 3u);
  }
  CAF_CHECK_EQUAL(answers.size(), 7u);
  auto after = stats(); // CAF_CHECK_EQUAL keeps references: no temporary
  CAF_CHECK_EQUAL(std::get<3>(after), 3);
  CAF_CHECK_EQUAL(h->spawned, 3); // workers are reused
  CAF_CHECK_EQUAL(num("SELECT count(*) FROM images WHERE state ="
                      " 'downloaded' AND path LIKE '%/images/albums/%.jpg'"),
                  7);
}

CAF_TEST(outcomes are recorded before the answer) {
  spawn_pool(2);
  submit(job_for(1));
  submit(job_for(2));
  answer(0, "downloaded");
  CAF_REQUIRE_EQUAL(answers.size(), 1u);
  CAF_CHECK_EQUAL(text("SELECT state || ' ' || content_type || ' ' || etag"
                       " FROM images WHERE entity_id = 1"),
                  "downloaded image/jpeg \"e1\"");
  answer(1, "failed", "content type text/html is not an image");
  CAF_CHECK_EQUAL(text("SELECT state || ' ' || last_error || ' ' || attempts"
                       " FROM images WHERE entity_id = 2"),
                  "failed content type text/html is not an image 1");
  auto next = num("SELECT next_attempt_at - updated_at FROM images WHERE"
                  " entity_id = 2");
  CAF_CHECK_EQUAL(next, int64_t{24} * 3600 * 1000);
}

CAF_TEST(a lower limit holds from the next job on) {
  spawn_pool(4);
  CAF_CHECK_EQUAL(set_limit(1), 1);
  for (int64_t id = 1; id <= 3; ++id)
    submit(job_for(id));
  CAF_CHECK_EQUAL(h->jobs.size(), 1u);
  answer(0, "none");
  CAF_CHECK_EQUAL(h->jobs.size(), 2u);
  CAF_CHECK_EQUAL(text("SELECT state FROM images WHERE entity_id = 1"), "none");
  // out of range values are clamped
  CAF_CHECK_EQUAL(set_limit(1000), 64);
  CAF_CHECK_EQUAL(h->jobs.size(), 3u); // room again: the last one starts
  CAF_CHECK_EQUAL(clamp_image_limit(0), 5);
  CAF_CHECK_EQUAL(clamp_image_limit(-3), 5);
}

CAF_TEST(a worker that dies fails its job and is not reused) {
  spawn_pool(1, /*with_store=*/false);
  submit(job_for(5));
  CAF_REQUIRE_EQUAL(h->jobs.size(), 1u);
  // kill the worker holding the job
  anon_send_exit(h->workers[0], caf::exit_reason::kill);
  sched.run();
  CAF_CHECK_EQUAL(answers.size(), 0u); // no answer from the dead: the deadline
  sched.advance_time(std::chrono::minutes(2));
  sched.run();
  CAF_REQUIRE_EQUAL(answers.size(), 1u);
  CAF_CHECK_EQUAL(answers[0].state, "failed");
  CAF_CHECK(answers[0].error.find("download worker failed") == 0);
  submit(job_for(6));
  CAF_CHECK_EQUAL(h->spawned, 2);
}

CAF_TEST(real workers copy local covers below the image folder) {
  image_pool_config pc;
  pc.root = dir / "images";
  pc.limit = 2;
  pc.store = st;
  auto root = pc.root;
  auto limits = pc.limits;
  pc.spawn_worker = [root, limits](caf::actor_system& s) {
    return s.spawn(image_worker, root, limits); // scheduled: deterministic
  };
  pool = sys.spawn(image_pool, pc);
  sched.run();
  fs::create_directories(dir / "music");
  {
    std::ofstream out{dir / "music" / "cover.png", std::ios::binary};
    out << std::string{"\x89PNG\r\n\x1a\n", 8} << "data";
  }
  image_job j;
  j.entity_type = "album";
  j.entity_id = 7;
  j.urls = {(dir / "music" / "cover.png").string()};
  j.sources = {"local"};
  submit(j);
  CAF_REQUIRE_EQUAL(answers.size(), 1u);
  CAF_CHECK_EQUAL(answers[0].state, "downloaded");
  CAF_CHECK(fs::exists(dir / "images" / "albums" / "7.png"));
  CAF_CHECK_EQUAL(text("SELECT path FROM images WHERE entity_id = 7"),
                  (dir / "images" / "albums" / "7.png").string());
  CAF_CHECK_EQUAL(text("SELECT source FROM images WHERE entity_id = 7"),
                  "local");
}

CAF_TEST_FIXTURE_SCOPE_END()
