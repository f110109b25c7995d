#define CAF_SUITE actors.gateway.token_refresher
#include "fixture.hpp"

#include "actors/gateway/circuit_breaker.hpp"
#include "actors/gateway/token_refresher.hpp"
#include "messages/error.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <deque>

using namespace discotheque;
using namespace std::chrono_literals;

namespace {

struct token_server {
  std::deque<http_reply> replies;
  std::vector<http_call> calls;
};

http_reply reply(int status, std::string body, std::string retry_after = "") {
  http_reply r;
  r.status = status;
  r.body = std::move(body);
  r.retry_after = std::move(retry_after);
  return r;
}

http_client_actor::behavior_type
token_endpoint(http_client_actor::pointer, std::shared_ptr<token_server> s) {
  return {
    [s](atom::pfetch, const http_call& call) -> http_reply {
      s->calls.push_back(call);
      if (s->replies.empty())
        return reply(500, "{}");
      auto r = s->replies.front();
      s->replies.pop_front();
      return r;
    },
  };
}

struct fixture : test::fixture_base {
  std::shared_ptr<token_server> srv = std::make_shared<token_server>();
  std::vector<caf::actor_clock::time_point> call_times;
  int64_t wall = 1'700'000'000'000;
  std::vector<caf::actor_addr> spawned;
  token_refresher_actor tokens;
  http_client_actor http;
  circuit_breaker_actor breaker;

  token_refresher_actor
  make(std::string refresh, std::string access = "", int64_t expires_at = 0,
       std::string url = "http://auth/api/token", int threshold = 5) {
    token_refresher_config c;
    c.provider = "spotify";
    c.token_url = std::move(url);
    c.client_id = "id";
    c.client_secret = "secret";
    c.refresh_token = std::move(refresh);
    c.access_token = std::move(access);
    c.expires_at = expires_at;
    http = sys.spawn(token_endpoint, srv);
    c.http = http;
    c.now = [this] { return wall; };
    circuit_breaker_config bc;
    bc.provider = "spotify";
    bc.now = [this] { return wall; };
    bc.failure_threshold = threshold;
    breaker = sys.spawn(circuit_breaker, bc);
    c.breaker = breaker;
    tokens = sys.spawn(token_refresher, c);
    return tokens;
  }

  ~fixture() {
    anon_send_exit(tokens, caf::exit_reason::user_shutdown);
    anon_send_exit(http, caf::exit_reason::user_shutdown);
    anon_send_exit(breaker, caf::exit_reason::user_shutdown);
    sched.run();
  }

  /// Asks for a token and lets simulated time pass (in 10 ms steps) until
  /// the answer arrives or `max` has passed; `took` is the time it needed.
  std::string get_in_time(caf::timespan max, caf::timespan* took = nullptr) {
    auto out = std::make_shared<std::string>("<none>");
    sys.spawn([=, t = tokens](caf::event_based_actor* self) {
      self->request(t, caf::infinite, atom::tok_get_v)
        .then([=](const std::string& s) { *out = s; },
              [=](const caf::error& e) { *out = "error: " + render(e); });
    });
    sched.run();
    caf::timespan spent{0};
    while (*out == "<none>" && spent < max) {
      sched.advance_time(10ms);
      wall += 10;
      spent += 10ms;
      sched.run();
    }
    if (took)
      *took = spent;
    return *out;
  }

  provider_status breaker_status() {
    auto out = std::make_shared<provider_status>();
    sys.spawn([=, b = breaker](caf::event_based_actor* self) {
      self->request(b, caf::infinite, atom::status_v)
        .then([=](const provider_status& s) { *out = s; });
    });
    sched.run();
    return *out;
  }

  std::string get(bool renew = false, std::string stale = "") {
    auto out = std::make_shared<std::string>("<none>");
    sys.spawn([=, t = tokens](caf::event_based_actor* self) {
      auto ok = [=](const std::string& s) { *out = s; };
      auto bad = [=](const caf::error& e) { *out = "error: " + render(e); };
      if (renew)
        self->request(t, caf::infinite, atom::tok_renew_v, stale).then(ok, bad);
      else
        self->request(t, caf::infinite, atom::tok_get_v).then(ok, bad);
    });
    sched.run();
    return *out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(token_refresher_tests, fixture)

CAF_TEST(a refresh without a new refresh token keeps the old one) {
  make("rt-1");
  srv->replies.push_back(reply(
    200,
    R"({"access_token":"at-1","token_type":"Bearer","scope":"user-library-read","expires_in":3600})"));
  CAF_CHECK_EQUAL(get(), "at-1");
  CAF_REQUIRE_EQUAL(srv->calls.size(), 1u);
  const auto& c = srv->calls[0];
  CAF_CHECK_EQUAL(c.method, "POST");
  CAF_CHECK_EQUAL(c.body, "grant_type=refresh_token&refresh_token=rt-1");
  CAF_CHECK(std::find(c.headers.begin(), c.headers.end(),
                      "Authorization: Basic " + base64("id:secret"))
            != c.headers.end());
  // still valid: no second call
  CAF_CHECK_EQUAL(get(), "at-1");
  CAF_CHECK_EQUAL(srv->calls.size(), 1u);
  // rejected by the provider: refresh again with the same refresh token
  srv->replies.push_back(
    reply(200, R"({"access_token":"at-2","expires_in":3600})"));
  CAF_CHECK_EQUAL(get(true, "at-1"), "at-2");
  CAF_REQUIRE_EQUAL(srv->calls.size(), 2u);
  CAF_CHECK_EQUAL(srv->calls[1].body,
                  "grant_type=refresh_token&refresh_token=rt-1");
  // a stale token from before the refresh: the current one, no call
  CAF_CHECK_EQUAL(get(true, "at-1"), "at-2");
  CAF_CHECK_EQUAL(srv->calls.size(), 2u);
}

CAF_TEST(
  a new refresh token replaces the old one and expiry triggers a refresh) {
  make("rt-1");
  srv->replies.push_back(reply(
    200,
    R"({"access_token":"at-1","expires_in":3600,"refresh_token":"rt-2"})"));
  CAF_CHECK_EQUAL(get(), "at-1");
  srv->replies.push_back(
    reply(200, R"({"access_token":"at-2","expires_in":3600})"));
  // refreshed ahead of expiry (5 minutes margin), by its own timer
  wall += 3300 * 1000;
  sched.advance_time(3300s);
  sched.run();
  CAF_REQUIRE_EQUAL(srv->calls.size(), 2u);
  CAF_CHECK_EQUAL(srv->calls[1].body,
                  "grant_type=refresh_token&refresh_token=rt-2");
  CAF_CHECK_EQUAL(get(), "at-2");
}

CAF_TEST(
  an invalid grant makes the provider unavailable without leaking tokens) {
  make("rt-secret");
  srv->replies.push_back(reply(
    400,
    R"({"error":"invalid_grant","error_description":"Invalid refresh token"})"));
  auto r = get();
  CHECK_MSG(r.find("error: provider_unavailable: token refresh failed: HTTP "
                   "400 invalid_grant")
              == 0,
            r);
  CAF_CHECK(r.find("rt-secret") == std::string::npos);
}

CAF_TEST(a static token is handed out and cannot be renewed) {
  make("", "dz-token", 0, "");
  CAF_CHECK_EQUAL(get(), "dz-token");
  auto r = get(true, "dz-token");
  CHECK_MSG(r.find("error: provider_unavailable") == 0, r);
  CAF_CHECK(srv->calls.empty());
}

CAF_TEST(a 503 from the token endpoint is retried after a second) {
  make("rt-1");
  srv->replies.push_back(reply(503, "{}"));
  srv->replies.push_back(
    reply(200, R"({"access_token":"at-1","expires_in":3600})"));
  caf::timespan took{0};
  CAF_CHECK_EQUAL(get_in_time(10s, &took), "at-1");
  CAF_CHECK_EQUAL(srv->calls.size(), 2u);
  CHECK_MSG(took >= 1s && took < 1100ms, "took " << took.count() << " ns");
  // the failure counted for the breaker; the success reset the count
  auto bs = breaker_status();
  CAF_CHECK_EQUAL(bs.consecutive_failures, 0);
  CAF_CHECK_EQUAL(bs.errors_24h, 1);
}

CAF_TEST(a token endpoint that keeps failing fails after 3 retries) {
  make("rt-secret");
  // the default answer is a 500
  caf::timespan took{0};
  auto r = get_in_time(30s, &took);
  CHECK_MSG(r.find("error: bad_response: token refresh failed: HTTP 500") == 0,
            r);
  CHECK_MSG(r.find("after 3 retries") != std::string::npos, r);
  CAF_CHECK(r.find("rt-secret") == std::string::npos);
  CAF_CHECK_EQUAL(srv->calls.size(), 4u);
  // 1 s + 2 s + 4 s of backoff
  CHECK_MSG(took >= 7s && took < 7100ms, "took " << took.count() << " ns");
  auto bs = breaker_status();
  CAF_CHECK_EQUAL(bs.consecutive_failures, 4);
  CHECK_MSG(bs.last_error.find("token refresh: HTTP 500") == 0, bs.last_error);
}

CAF_TEST(an open breaker stops the retries of a refresh) {
  make("rt-1", "", 0, "http://auth/api/token", 2);
  auto r = get_in_time(30s);
  CHECK_MSG(r.find("error: provider_unavailable: token refresh failed: "
                   "circuit breaker open")
              == 0,
            r);
  // two failures opened it: the third attempt is not sent
  CAF_CHECK_EQUAL(srv->calls.size(), 2u);
  CAF_CHECK_EQUAL(breaker_status().breaker_state, "open");
}

CAF_TEST(a rate limited token endpoint is retried after its Retry - After) {
  make("rt-1");
  srv->replies.push_back(reply(429, "{}", "3"));
  srv->replies.push_back(
    reply(200, R"({"access_token":"at-1","expires_in":3600})"));
  caf::timespan took{0};
  CAF_CHECK_EQUAL(get_in_time(10s, &took), "at-1");
  CHECK_MSG(took >= 3s && took < 3100ms, "took " << took.count() << " ns");
  CAF_CHECK_EQUAL(breaker_status().errors_24h, 0);
}

CAF_TEST(a rejected client is not authorized and not retried) {
  make("rt-1");
  srv->replies.push_back(reply(401, R"({"error":"invalid_client"})"));
  auto r = get_in_time(10s);
  CHECK_MSG(r.find("error: provider_unavailable: token refresh failed: HTTP "
                   "401 invalid_client")
              == 0,
            r);
  CAF_CHECK_EQUAL(srv->calls.size(), 1u);
  CAF_CHECK_EQUAL(breaker_status().consecutive_failures, 0);
}

CAF_TEST(base64 and form encoding) {
  CAF_CHECK_EQUAL(base64("id:secret"), "aWQ6c2VjcmV0");
  CAF_CHECK_EQUAL(base64("a"), "YQ==");
  CAF_CHECK_EQUAL(base64("ab"), "YWI=");
  CAF_CHECK_EQUAL(form_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
}

CAF_TEST_FIXTURE_SCOPE_END()
