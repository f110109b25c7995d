#define CAF_SUITE actors.gateway
#include "fixture.hpp"

#include "actors/gateway/circuit_breaker.hpp"
#include "actors/gateway/provider_gateway.hpp"
#include "actors/gateway/rate_limiter.hpp"
#include "messages/error.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <deque>
#include <functional>

using namespace discotheque;
using namespace std::chrono_literals;

namespace {

using clock_point = caf::actor_clock::time_point;

/// A scripted HTTP client: answers each call with the next scripted reply
/// (the last one repeats) and records when each call arrived.
struct script {
  std::deque<http_reply> replies;
  http_reply fallback;
  std::vector<clock_point> times;
  std::vector<http_call> calls;
};

http_reply make_reply(int status, std::string body = "{}",
                      std::string retry_after = "") {
  http_reply r;
  r.status = status;
  r.body = std::move(body);
  r.retry_after = std::move(retry_after);
  if (status == 0) {
    r.error = "Timeout was reached";
    r.timed_out = true;
  }
  return r;
}

http_client_actor::behavior_type
scripted_client(http_client_actor::pointer self, std::shared_ptr<script> s) {
  return {
    [self, s](atom::pfetch, const http_call& call) -> http_reply {
      s->times.push_back(self->clock().now());
      s->calls.push_back(call);
      if (s->replies.empty())
        return s->fallback;
      auto r = s->replies.front();
      s->replies.pop_front();
      return r;
    },
  };
}

/// A token source with a counter: "tok-N".
token_refresher_actor::behavior_type
counting_tokens(token_refresher_actor::pointer, std::shared_ptr<int> n) {
  return {
    [n](atom::tok_get) -> std::string { return "tok-" + std::to_string(*n); },
    [n](atom::tok_renew, const std::string&) -> std::string {
      ++*n;
      return "tok-" + std::to_string(*n);
    },
    [](atom::tok_tick) {},
  };
}

struct outcome {
  bool done = false;
  http_reply reply;
  caf::error err;
  clock_point at;
};

struct fixture : test::fixture_base {
  std::shared_ptr<script> http = std::make_shared<script>();
  int64_t wall = 1'700'000'000'000; // injected epoch ms

  fixture() {
    http->fallback = make_reply(200, R"({"ok":true})");
  }

  /// Runs the scheduler, advancing simulated time in small steps, until
  /// `done` holds or `max` simulated time has passed.
  void run_until(std::function<bool()> done, caf::timespan max = 120s,
                 caf::timespan step = 1ms) {
    sched.run();
    caf::timespan spent{0};
    while (!done() && spent < max) {
      sched.advance_time(step);
      wall
        += std::chrono::duration_cast<std::chrono::milliseconds>(step).count();
      spent += step;
      sched.run();
    }
  }

  clock_point now() {
    return sched.clock().now();
  }

  provider_gateway_actor make_gateway(double rate = 0, int threshold = 5,
                                      token_refresher_actor tokens = {},
                                      bool deezer = false) {
    auto limiter = sys.spawn(rate_limiter,
                             rate_limiter_config{"test", rate, 1.0});
    circuit_breaker_config bc;
    bc.provider = "test";
    bc.failure_threshold = threshold;
    bc.open_for = 300s;
    bc.now = [this] { return wall; };
    auto breaker = sys.spawn(circuit_breaker, bc);
    provider_gateway_config gc;
    gc.provider = "test";
    gc.limiter = limiter;
    gc.breaker = breaker;
    gc.clients.push_back(sys.spawn(scripted_client, http));
    gc.now = [this] { return wall; };
    gc.client_timeout = 1s;
    if (tokens) {
      gc.auth = auth_mode::bearer;
      gc.tokens = tokens;
    }
    if (deezer)
      gc.classify = classify_deezer;
    return sys.spawn(provider_gateway, gc);
  }

  std::shared_ptr<outcome> fetch(provider_gateway_actor gw,
                                 std::string url = "http://x/a") {
    auto out = std::make_shared<outcome>();
    sys.spawn([=, this](caf::event_based_actor* self) {
      self
        ->request(gw, caf::infinite, atom::pfetch_v,
                  http_call{"GET", url, {}, {}, 0})
        .then(
          [=, this](const http_reply& r) {
            out->done = true;
            out->reply = r;
            out->at = now();
          },
          [=, this](const caf::error& e) {
            out->done = true;
            out->err = e;
            out->at = now();
          });
    });
    return out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(gateway_tests, fixture)

CAF_TEST(the rate limiter spaces permits of concurrent callers) {
  auto limiter = sys.spawn(rate_limiter, rate_limiter_config{"t", 10, 1.0});
  auto grants = std::make_shared<std::vector<clock_point>>();
  for (int caller = 0; caller < 3; ++caller)
    sys.spawn([=, this](caf::event_based_actor* self) {
      for (int i = 0; i < 10; ++i)
        self->request(limiter, caf::infinite, atom::rl_permit_v)
          .then([=, this](int64_t) { grants->push_back(now()); });
    });
  run_until([&] { return grants->size() == 30; }, 10s);
  CAF_REQUIRE_EQUAL(grants->size(), 30u);
  std::sort(grants->begin(), grants->end());
  for (size_t i = 1; i < grants->size(); ++i)
    CHECK_MSG((*grants)[i] - (*grants)[i - 1] >= 100ms,
              "grant " << i << " only "
                       << ((*grants)[i] - (*grants)[i - 1]).count() << "ns "
                       << "after the previous one");
  // 30 permits at 10/s: the last one is granted 2.9 s after the first.
  CAF_CHECK(grants->back() - grants->front() >= 2900ms);
  CAF_CHECK(grants->back() - grants->front() < 3000ms);
}

CAF_TEST(the breaker opens after five failures and half
         - opens after its time) {
  circuit_breaker_config bc;
  bc.provider = "t";
  bc.open_for = 300s;
  bc.now = [this] { return wall; };
  auto breaker = sys.spawn(circuit_breaker, bc);
  auto allowed = std::make_shared<std::vector<bool>>();
  auto ask = [&] {
    sys.spawn([=](caf::event_based_actor* self) {
      self->request(breaker, caf::infinite, atom::cb_allow_v).then([=](bool b) {
        allowed->push_back(b);
      });
    });
    sched.run();
  };
  auto status = [&] {
    auto s = std::make_shared<provider_status>();
    sys.spawn([=](caf::event_based_actor* self) {
      self->request(breaker, caf::infinite, atom::status_v)
        .then([=](const provider_status& x) { *s = x; });
    });
    sched.run();
    return *s;
  };
  for (int i = 0; i < 4; ++i)
    anon_send(breaker, atom::cb_fail_v, std::string{"HTTP 503"});
  sched.run();
  ask();
  CAF_CHECK_EQUAL(allowed->back(), true);
  CAF_CHECK_EQUAL(status().breaker_state, "closed");
  anon_send(breaker, atom::cb_fail_v, std::string{"HTTP 503"});
  sched.run();
  ask();
  CAF_CHECK_EQUAL(allowed->back(), false);
  auto s = status();
  CAF_CHECK_EQUAL(s.breaker_state, "open");
  CAF_CHECK_EQUAL(s.errors_24h, 5);
  CAF_CHECK_EQUAL(s.last_error, "HTTP 503");
  sched.advance_time(299s);
  ask();
  CAF_CHECK_EQUAL(allowed->back(), false);
  sched.advance_time(1s);
  ask(); // the one trial call
  CAF_CHECK_EQUAL(allowed->back(), true);
  ask(); // no second call while the trial runs
  CAF_CHECK_EQUAL(allowed->back(), false);
  anon_send(breaker, atom::cb_fail_v, std::string{"timeout"});
  sched.run();
  ask(); // the trial failed: open again
  CAF_CHECK_EQUAL(allowed->back(), false);
  sched.advance_time(300s);
  ask();
  CAF_CHECK_EQUAL(allowed->back(), true);
  anon_send(breaker, atom::cb_ok_v);
  sched.run();
  ask();
  CAF_CHECK_EQUAL(allowed->back(), true);
  s = status();
  CAF_CHECK_EQUAL(s.breaker_state, "closed");
  CAF_CHECK_EQUAL(s.consecutive_failures, 0);
  CAF_CHECK_EQUAL(s.last_success_at, wall);
}

CAF_TEST(5xx is retried after 1 2 4 seconds then reported) {
  auto gw = make_gateway(0, 100);
  http->fallback = make_reply(503, "oops");
  auto out = fetch(gw);
  auto t0 = now();
  run_until([&] { return out->done; }, 60s);
  CAF_REQUIRE(out->done);
  CAF_CHECK_EQUAL(http->times.size(), 4u);
  CAF_REQUIRE_EQUAL(http->times.size(), 4u);
  CAF_CHECK(http->times[1] - http->times[0] >= 1s);
  CAF_CHECK(http->times[1] - http->times[0] < 1100ms);
  CAF_CHECK(http->times[2] - http->times[1] >= 2s);
  CAF_CHECK(http->times[3] - http->times[2] >= 4s);
  CAF_CHECK(http->times[3] - t0 < 7200ms);
  CHECK_MSG(render(out->err).find("bad_response") == 0,
            "got " << render(out->err));
}

CAF_TEST(a transient failure followed by success is delivered) {
  auto gw = make_gateway();
  http->replies = {make_reply(0), make_reply(502), make_reply(200, "[1]")};
  auto out = fetch(gw);
  run_until([&] { return out->done; }, 60s);
  CAF_REQUIRE(out->done);
  CAF_CHECK(!out->err);
  CAF_CHECK_EQUAL(out->reply.body, "[1]");
  CAF_CHECK_EQUAL(http->times.size(), 3u);
}

CAF_TEST(429 honours Retry - After) {
  auto gw = make_gateway();
  http->replies = {make_reply(429, "{}", "7"), make_reply(200, "ok")};
  auto out = fetch(gw);
  run_until([&] { return out->done; }, 60s);
  CAF_REQUIRE(out->done);
  CAF_CHECK(!out->err);
  CAF_REQUIRE_EQUAL(http->times.size(), 2u);
  CAF_CHECK(http->times[1] - http->times[0] >= 7s);
  CAF_CHECK(http->times[1] - http->times[0] < 7100ms);
}

CAF_TEST(a Retry - After beyond the ceiling blocks the provider) {
  auto gw = make_gateway();
  http->replies = {make_reply(429, "{}", "86400")};
  auto out = fetch(gw);
  run_until([&] { return out->done; }, 5s);
  CAF_REQUIRE(out->done);
  CHECK_MSG(
    render(out->err).find("provider_unavailable: rate limited, blocked until")
      == 0,
    "got " << render(out->err));
  // Later calls fail at once without touching the provider.
  auto again = fetch(gw);
  run_until([&] { return again->done; }, 5s);
  CAF_CHECK(again->err);
  CAF_CHECK_EQUAL(http->times.size(), 1u);
  auto s = std::make_shared<provider_status>();
  sys.spawn([=](caf::event_based_actor* self) {
    self->request(gw, caf::infinite, atom::status_v)
      .then([=](const provider_status& x) { *s = x; });
  });
  sched.run();
  CAF_CHECK(s->blocked_until >= 1'700'000'000'000 + 86'400'000);
  CAF_CHECK(s->blocked_until <= wall + 86'400'000);
}

CAF_TEST(five failing calls open the breaker and later calls fail fast) {
  auto gw = make_gateway(0, 5);
  http->fallback = make_reply(500);
  auto a = fetch(gw);
  run_until([&] { return a->done; }, 60s);
  auto b = fetch(gw);
  run_until([&] { return b->done; }, 60s);
  // 4 attempts for a, then b fails once more and trips the breaker.
  CAF_CHECK_EQUAL(http->times.size(), 5u);
  CHECK_MSG(render(b->err) == "provider_unavailable: circuit breaker open",
            "got " << render(b->err));
}

CAF_TEST(a rejected token is renewed once and the call goes through) {
  auto n = std::make_shared<int>(1);
  auto tokens = sys.spawn(counting_tokens, n);
  auto gw = make_gateway(0, 5, tokens);
  http->replies = {
    make_reply(
      401, R"({"error":{"status":401,"message":"The access token expired"}})"),
    make_reply(200, "fine")};
  auto out = fetch(gw);
  run_until([&] { return out->done; }, 5s);
  CAF_REQUIRE(out->done);
  CAF_CHECK(!out->err);
  CAF_REQUIRE_EQUAL(http->calls.size(), 2u);
  auto has = [](const http_call& c, const std::string& h) {
    return std::find(c.headers.begin(), c.headers.end(), h) != c.headers.end();
  };
  CAF_CHECK(has(http->calls[0], "Authorization: Bearer tok-1"));
  CAF_CHECK(has(http->calls[1], "Authorization: Bearer tok-2"));
}

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

CAF_TEST(a deezer quota error is retried) {
  auto gw = make_gateway(0, 5, {}, true);
  http->replies = {
    make_reply(
      200,
      R"({"error":{"type":"Exception","message":"Quota limit exceeded","code":4}})"),
    make_reply(200, R"({"data":[]})")};
  auto out = fetch(gw);
  run_until([&] { return out->done; }, 10s);
  CAF_REQUIRE(out->done);
  CAF_CHECK(!out->err);
  CAF_CHECK_EQUAL(out->reply.body, R"({"data":[]})");
  CAF_REQUIRE_EQUAL(http->times.size(), 2u);
  CAF_CHECK(http->times[1] - http->times[0] >= 1s);
}

CAF_TEST_FIXTURE_SCOPE_END()
