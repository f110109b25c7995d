#define CAF_SUITE app.console_tail
#include "fixture.hpp"

#include "app/console_tail.hpp"

using namespace discotheque;

CAF_TEST(connect addresses) {
  auto e = parse_endpoint("127.0.0.1:8686");
  CAF_REQUIRE(e.has_value());
  CAF_CHECK_EQUAL(e->host, "127.0.0.1");
  CAF_CHECK_EQUAL(e->port, 8686);
  CAF_CHECK(!parse_endpoint("127.0.0.1").has_value());
  CAF_CHECK(!parse_endpoint(":80").has_value());
  CAF_CHECK(!parse_endpoint("h:0").has_value());
  CAF_CHECK(!parse_endpoint("h:70000").has_value());
  CAF_CHECK(!parse_endpoint("h:8x").has_value());
}

CAF_TEST(one line per event) {
  auto msg = tail_line(
    "message",
    R"({"type":"message","time":"2026-12-02T13:00:01.234Z","actor":"store","message":"write"})");
  CAF_CHECK_EQUAL(msg, "13:00:01.234 message store <- write");
  auto started = tail_line(
    "task_started",
    R"({"time":"2026-12-02T13:00:01.234Z","task":"health_check","trigger":"manual","run_id":7})");
  CAF_CHECK_EQUAL(started,
                  "13:00:01.234 task_started health_check (manual, run 7)");
  auto finished = tail_line(
    "task_finished",
    R"({"time":"2026-12-02T13:00:01.234Z","task":"scan","status":"failed","duration_ms":12,"error":"boom"})");
  CAF_CHECK_EQUAL(finished,
                  "13:00:01.234 task_finished scan failed in 12 ms: boom");
  CAF_CHECK_EQUAL(tail_line("odd", "not json"), "odd not json");
}
