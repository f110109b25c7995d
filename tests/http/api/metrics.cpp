#define CAF_SUITE http.api.metrics
#include "fixture.hpp"

#include "http/api/metrics.hpp"
#include "support/histogram.hpp"

#include <nlohmann/json.hpp>

using namespace discotheque;

namespace {

http::actor_answer answer(const std::string& name, const std::string& kind,
                          const nlohmann::json& details, uint64_t mailbox) {
  http::actor_answer a;
  a.name = name;
  a.kind = kind;
  a.id = 1;
  actor_summary s;
  s.name = name;
  s.kind = kind;
  s.mailbox = mailbox;
  s.handled = 42;
  s.details = details.dump();
  a.summary = s;
  return a;
}

bool has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

} // namespace

CAF_TEST(store numbers and histograms in the exposition format) {
  histogram commits{{100, 1000}};
  commits.observe(50);
  commits.observe(500);
  commits.observe(5000);
  http::metrics_input in;
  in.actors.push_back(answer("store", "store",
                             {{"transactions", 3},
                              {"writes", 7},
                              {"commit_us_histogram", commits.to_json()}},
                             2));
  auto text = http::render_metrics(in);
  CHECK_MSG(has(text, "# TYPE discotheque_store_transactions_total counter"),
            text);
  CAF_CHECK(has(text, "discotheque_store_transactions_total 3"));
  CAF_CHECK(has(text, "discotheque_store_writes_total 7"));
  CAF_CHECK(has(text, "# TYPE discotheque_store_commit_duration_seconds "
                      "histogram"));
  // cumulative, in seconds, ending in +Inf = _count
  CHECK_MSG(has(text, "discotheque_store_commit_duration_seconds_bucket{le="
                      "\"0.0001\"} 1"),
            text);
  CAF_CHECK(has(text, "discotheque_store_commit_duration_seconds_bucket{le="
                      "\"0.001\"} 2"));
  CAF_CHECK(has(text, "discotheque_store_commit_duration_seconds_bucket{le="
                      "\"+Inf\"} 3"));
  CAF_CHECK(has(text, "discotheque_store_commit_duration_seconds_count 3"));
  CAF_CHECK(has(text, "discotheque_store_commit_duration_seconds_sum 0.00555"));
  CAF_CHECK(has(text, "discotheque_actor_mailbox_messages{actor=\"store\"} 2"));
  CAF_CHECK(
    has(text, "discotheque_actor_messages_handled_total{actor=\"store\"} 42"));
}

CAF_TEST(each family once with its samples together) {
  http::metrics_input in;
  in.actors.push_back(answer("a\"b", "reader", nlohmann::json::object(), 0));
  in.actors.push_back(answer("c", "reader", nlohmann::json::object(), 1));
  http::actor_answer silent;
  silent.name = "d";
  silent.kind = "reader";
  silent.error = "timeout";
  in.actors.push_back(silent);
  auto text = http::render_metrics(in);
  auto first = text.find("# TYPE discotheque_actor_up gauge");
  CAF_REQUIRE(first != std::string::npos);
  CAF_CHECK(text.find("# TYPE discotheque_actor_up gauge", first + 1)
            == std::string::npos);
  CHECK_MSG(has(text, "discotheque_actor_up{actor=\"a\\\"b\"} 1\n"
                      "discotheque_actor_up{actor=\"c\"} 1\n"
                      "discotheque_actor_up{actor=\"d\"} 0"),
            text);
}

CAF_TEST(task runs from the event bus and the breaker state of a gateway) {
  http::metrics_input in;
  in.bus
    = {{"task_runs",
        {{{"task", "health_check"}, {"status", "succeeded"}, {"count", 4}}}},
       {"events_published", 9}};
  in.actors.push_back(answer("gateway.deezer", "gateway",
                             {{"provider", "deezer"},
                              {"requests", 5},
                              {"rate_limited", 1},
                              {"limiter_wait_ms", 1500},
                              {"breaker", {{"state", "open"}}}},
                             0));
  auto text = http::render_metrics(in);
  CAF_CHECK(has(text, "discotheque_task_runs_total{task=\"health_check\","
                      "status=\"succeeded\"} 4"));
  CAF_CHECK(
    has(text, "discotheque_provider_requests_total{provider=\"deezer\"} 5"));
  CAF_CHECK(has(
    text, "discotheque_provider_rate_limited_total{provider=\"deezer\"} 1"));
  CAF_CHECK(has(text, "discotheque_provider_limiter_wait_seconds_total{"
                      "provider=\"deezer\"} 1.5"));
  CAF_CHECK(has(text, "discotheque_provider_breaker_state{provider=\"deezer\","
                      "state=\"open\"} 1"));
  CAF_CHECK(has(text, "discotheque_provider_breaker_state{provider=\"deezer\","
                      "state=\"closed\"} 0"));
}

CAF_TEST(the metrics token as bearer or query parameter) {
  http::request req;
  CAF_CHECK(!http::has_metrics_token(req, "tok"));
  req.headers["authorization"] = "Bearer tok";
  CAF_CHECK(http::has_metrics_token(req, "tok"));
  CAF_CHECK(!http::has_metrics_token(req, ""));
  CAF_CHECK(!http::has_metrics_token(req, "other"));
  http::request q;
  q.query["token"] = "tok";
  CAF_CHECK(http::has_metrics_token(q, "tok"));
  q.query["token"] = "";
  CAF_CHECK(!http::has_metrics_token(q, ""));
}
