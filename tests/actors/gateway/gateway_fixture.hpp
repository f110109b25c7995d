// The gateway suites' shared scaffolding: a scripted HTTP client, a
// counting token source, and a fixture that builds a gateway with its
// limiter and breaker on the deterministic coordinator.
#pragma once

#include "fixture.hpp"

#include "actors/gateway/circuit_breaker.hpp"
#include "actors/gateway/provider_gateway.hpp"
#include "actors/gateway/rate_limiter.hpp"
#include "messages/error.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <deque>
#include <functional>

namespace gateway_test {

using namespace discotheque;
using namespace std::chrono_literals;

using clock_point = caf::actor_clock::time_point;

/// A scripted HTTP client: answers each call with the next scripted reply
/// (the last one repeats) and records when each call arrived.
struct script {
  std::deque<http_reply> replies;
  http_reply fallback;
  std::vector<clock_point> times;
  std::vector<http_call> calls;
};

inline http_reply make_reply(int status, std::string body = "{}",
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

inline http_client_actor::behavior_type
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
inline token_refresher_actor::behavior_type
counting_tokens(token_refresher_actor::pointer, std::shared_ptr<int> n) {
  return {
    [n](atom::tok_get) -> std::string { return "tok-" + std::to_string(*n); },
    [n](atom::tok_renew, const std::string&) -> std::string {
      ++*n;
      return "tok-" + std::to_string(*n);
    },
    [](atom::tok_tick) {},
    [](atom::tok_retry) {},
    [](atom::inspect_atom) { return actor_summary{}; },
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

  provider_gateway_actor
  make_gateway(double rate = 0, int threshold = 5,
               token_refresher_actor tokens = {},
               reply_class (*classify)(const http_reply&) = nullptr) {
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
    if (classify)
      gc.classify = classify;
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

} // namespace gateway_test
