#define CAF_SUITE actors.gateway.response_cache
#include "fixture.hpp"

#include "actors/gateway/response_cache.hpp"
#include "actors/store.hpp"
#include "messages/error.hpp"

#include <caf/event_based_actor.hpp>

#include <memory>

using namespace discotheque;

namespace {

struct fixture : test::fixture_base {
  test::temp_dir dir;
  store_actor st;
  response_cache_actor cache;

  fixture() {
    store_config cfg;
    cfg.db_path = dir / "library.db";
    st = sys.spawn(store, cfg);
    sched.run();
    cache = sys.spawn(response_cache, response_cache_config{cfg.db_path, st});
    sched.run();
  }

  ~fixture() {
    anon_send_exit(cache, caf::exit_reason::user_shutdown);
    anon_send_exit(st, caf::exit_reason::user_shutdown);
    sched.run();
  }

  cached_answer get(response_cache_actor& c, const std::string& url) {
    auto out = std::make_shared<cached_answer>();
    sys.spawn([=](caf::event_based_actor* self) {
      self->request(c, caf::infinite, atom::cache_get_v, url)
        .then([=](const cached_answer& a) { *out = a; },
              [](const caf::error& err) { CAF_FAIL(render(err)); });
    });
    sched.run();
    return *out;
  }

  bool put(const cached_answer& a) {
    auto ok = std::make_shared<bool>(false);
    auto c = cache;
    sys.spawn([ok, c, a](caf::event_based_actor* self) {
      self->request(c, caf::infinite, atom::cache_put_v, a)
        .then([=](atom::ok_atom) { *ok = true; },
              [](const caf::error& err) { CAF_FAIL(render(err)); });
    });
    sched.run();
    return *ok;
  }

  actor_summary summary() {
    auto out = std::make_shared<actor_summary>();
    auto c = cache;
    sys.spawn([out, c](caf::event_based_actor* self) {
      self->request(c, caf::infinite, atom::inspect_atom_v)
        .then([=](const actor_summary& s) { *out = s; });
    });
    sched.run();
    return *out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(response_cache_tests, fixture)

CAF_TEST(an answer put through the store is read back by its URL) {
  cached_answer a;
  a.url = "https://musicbrainz.org/ws/2/artist/1?fmt=json";
  a.provider = "musicbrainz";
  a.status = 200;
  a.body = R"({"id":"1"})";
  a.fetched_at = 1234;
  CAF_CHECK(put(a));
  auto back = get(cache, a.url);
  CAF_CHECK(back.found);
  CAF_CHECK_EQUAL(back.status, 200);
  CAF_CHECK_EQUAL(back.body, a.body);
  CAF_CHECK_EQUAL(back.fetched_at, 1234);
  auto other = get(cache, a.url + "&inc=aliases");
  CAF_CHECK(!other.found);
  CAF_CHECK_EQUAL(other.url, a.url + "&inc=aliases");
  auto s = summary();
  CAF_CHECK_EQUAL(s.summary, "2 reads, 1 hits");
}

CAF_TEST(a cache whose database cannot be opened answers nothing found) {
  auto blind = sys.spawn(response_cache,
                         response_cache_config{dir / "no" / "such.db", st});
  sched.run();
  auto a = get(blind, "https://example.invalid/x");
  CAF_CHECK(!a.found);
  CAF_CHECK_EQUAL(a.url, "https://example.invalid/x");
  anon_send_exit(blind, caf::exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST_FIXTURE_SCOPE_END()
