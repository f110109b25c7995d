#define CAF_SUITE actors.gateway.provider_gateway
#include "actors/gateway/gateway_fixture.hpp"

#include "actors/sources/deezer.hpp"

using namespace gateway_test;

namespace {

/// A token source whose refresh fails with `*err`.
token_refresher_actor::behavior_type
failing_tokens(token_refresher_actor::pointer,
               std::shared_ptr<caf::error> err) {
  return {
    [err](atom::tok_get) -> caf::result<std::string> { return *err; },
    [err](atom::tok_renew, const std::string&) -> caf::result<std::string> {
      return *err;
    },
    [](atom::tok_tick) {},
    [](atom::tok_retry) {},
    [](atom::inspect_atom) { return actor_summary{}; },
  };
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(provider_gateway_tests, fixture)

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

CAF_TEST(a failing token endpoint fails the call and is not a missing login) {
  auto err = std::make_shared<caf::error>(make_error(
    ec::bad_response, "token refresh failed: HTTP 503 after 3 retries"));
  auto tokens = sys.spawn(failing_tokens, err);
  auto gw = make_gateway(0, 5, tokens);
  auto out = fetch(gw);
  run_until([&] { return out->done; }, 5s);
  CHECK_MSG(render(out->err)
              == "bad_response: token refresh failed: HTTP 503 after 3 retries",
            "got " << render(out->err));
  CAF_CHECK(http->calls.empty());
  // without a login it is "not authenticated" (the run is skipped)
  *err = make_error(ec::provider_unavailable, "spotify token cannot be "
                                              "refreshed");
  auto again = fetch(gw);
  run_until([&] { return again->done; }, 5s);
  CHECK_MSG(render(again->err).find("provider_unavailable: not authenticated")
              == 0,
            "got " << render(again->err));
}

CAF_TEST(a deezer quota error is retried) {
  auto gw = make_gateway(0, 5, {}, classify_deezer);
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
