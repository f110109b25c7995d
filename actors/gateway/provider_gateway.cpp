#include "actors/gateway/provider_gateway.hpp"

#include "actors/inspect.hpp"
#include "http/client/client.hpp"
#include "messages/error.hpp"
#include "storage/writes/provider_state.hpp"
#include "support/log.hpp"
#include "support/redact.hpp"
#include "support/time.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace discotheque {

reply_class classify_http(const http_reply& r) {
  if (r.status == 0 || r.status >= 500)
    return reply_class::transient;
  if (r.status == 429)
    return reply_class::rate_limited;
  if (r.status == 401)
    return reply_class::auth;
  if (r.status >= 200 && r.status < 300)
    return reply_class::ok;
  return reply_class::final_error;
}

std::chrono::milliseconds backoff_delay(int retry,
                                        std::chrono::milliseconds base,
                                        std::chrono::milliseconds max) {
  auto d = base;
  for (int i = 0; i < retry && d < max; ++i)
    d *= 2;
  return std::min(d, max);
}

std::string add_query_param(const std::string& url, const std::string& name,
                            const std::string& value) {
  std::string enc;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      enc += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      enc += buf;
    }
  }
  auto sep = url.find('?') == std::string::npos ? '?' : '&';
  return url + sep + name + "=" + enc;
}

int64_t provider_gateway_state::now() const {
  return config.now ? config.now() : now_ms();
}

namespace {

using self_ptr
  = provider_gateway_actor::stateful_pointer<provider_gateway_state>;

void attempt(self_ptr self, uint64_t id);

bool not_authorized(const caf::error& err) {
  return err.category() != error_category()
         || static_cast<ec>(err.code()) == ec::provider_unavailable;
}

/// What a call answers when it got no token: "not authenticated" (a skipped
/// run) only when the provider is not authorized; a token endpoint that kept
/// failing stays that failure (a failed run, retried later).
caf::error token_error(const caf::error& err) {
  if (not_authorized(err))
    return make_error(ec::provider_unavailable,
                      "not authenticated: " + render(err));
  return err;
}

void finish(self_ptr self, uint64_t id, caf::error err) {
  auto it = self->state.calls.find(id);
  if (it == self->state.calls.end())
    return;
  ++self->state.failed_calls;
  it->second.promise.deliver(std::move(err));
  self->state.calls.erase(it);
}

void finish(self_ptr self, uint64_t id, http_reply reply) {
  auto it = self->state.calls.find(id);
  if (it == self->state.calls.end())
    return;
  it->second.promise.deliver(std::move(reply));
  self->state.calls.erase(it);
}

void retry_later(self_ptr self, uint64_t id, std::chrono::milliseconds d) {
  self->delayed_send(self, d, atom::gw_retry_v, id);
}

void block_until(self_ptr self, int64_t until, std::function<void()> then) {
  auto& st = self->state;
  st.blocked_until = std::max(st.blocked_until, until);
  log::get(st.config.provider)
    ->warn("provider rate limit: blocked until {}", iso8601(st.blocked_until));
  if (!st.config.store) {
    then();
    return;
  }
  auto req = storage::persist_blocked_until(st.config.provider,
                                            st.blocked_until);
  // answer once it is stored: a restart right after must still see it
  self
    ->request(st.config.store, std::chrono::seconds{30}, atom::write_v,
              std::move(req))
    .then([then](const write_ack&) { then(); },
          [then](const caf::error&) { then(); });
}

void handle_reply(self_ptr self, uint64_t id, http_reply reply) {
  auto& st = self->state;
  auto it = st.calls.find(id);
  if (it == st.calls.end())
    return;
  auto& pc = it->second;
  auto cls = st.config.classify(reply);
  auto describe = [&] {
    std::string what = reply.status == 0
                         ? reply.error
                         : "HTTP " + std::to_string(reply.status);
    // The text goes to logs and provider_errors: a client error may quote
    // the URL (and its token) back.
    return redact(what + " for " + pc.call.method + " "
                  + pc.call.url.substr(0, pc.call.url.find('?')));
  };
  switch (cls) {
    case reply_class::ok:
    case reply_class::final_error:
      anon_send(st.config.breaker, atom::cb_ok_v);
      finish(self, id, std::move(reply));
      return;
    case reply_class::auth:
      anon_send(st.config.breaker, atom::cb_ok_v);
      if (!pc.renewed && st.config.tokens) {
        pc.renewed = true;
        self
          ->request(st.config.tokens, caf::infinite, atom::tok_renew_v,
                    pc.token)
          .then([self, id](const std::string&) { attempt(self, id); },
                [self, id](const caf::error& err) {
                  finish(self, id, token_error(err));
                });
        return;
      }
      finish(self, id,
             make_error(ec::provider_unavailable,
                        "not authenticated: " + describe()));
      return;
    case reply_class::rate_limited: {
      ++st.rate_limited;
      // A 429 says the provider is alive: it does not count for the breaker.
      anon_send(st.config.breaker, atom::cb_ok_v);
      auto ra = http::parse_retry_after(reply.retry_after, st.now());
      if (ra && std::chrono::milliseconds{*ra} > st.config.backoff_max) {
        block_until(self, st.now() + *ra, [self, id] {
          finish(self, id,
                 make_error(ec::provider_unavailable,
                            "rate limited, blocked until "
                              + iso8601(self->state.blocked_until)));
        });
        return;
      }
      if (pc.retries >= st.config.max_retries) {
        finish(self, id,
               make_error(ec::bad_response, describe() + " after "
                                              + std::to_string(pc.retries)
                                              + " retries"));
        return;
      }
      auto d = backoff_delay(pc.retries, st.config.backoff_base,
                             st.config.backoff_max);
      if (ra)
        d = std::chrono::milliseconds{*ra};
      st.paused_until = std::max(st.paused_until, self->clock().now() + d);
      ++pc.retries;
      ++st.retries;
      retry_later(self, id, d);
      return;
    }
    case reply_class::transient: {
      auto what = describe();
      st.last_error = what;
      ++st.transient_errors;
      anon_send(st.config.breaker, atom::cb_fail_v, what);
      if (pc.retries >= st.config.max_retries) {
        finish(self, id,
               make_error(ec::bad_response, what + " after "
                                              + std::to_string(pc.retries)
                                              + " retries"));
        return;
      }
      auto d = backoff_delay(pc.retries, st.config.backoff_base,
                             st.config.backoff_max);
      auto ra = http::parse_retry_after(reply.retry_after, st.now());
      if (ra && std::chrono::milliseconds{*ra} <= st.config.backoff_max)
        d = std::max(d, std::chrono::milliseconds{*ra});
      ++pc.retries;
      ++st.retries;
      retry_later(self, id, d);
      return;
    }
  }
}

void after_token(self_ptr self, uint64_t id);

/// A client finished: the next waiting call may take its permit.
void release_client(self_ptr self, size_t client) {
  auto& st = self->state;
  st.busy[client] = false;
  while (!st.waiting_for_client.empty()) {
    auto next = st.waiting_for_client.front();
    st.waiting_for_client.pop_front();
    if (st.calls.count(next) != 0) {
      attempt(self, next); // re-checks blocked-until and the breaker
      return;
    }
  }
}

void send_call(self_ptr self, uint64_t id, size_t client) {
  auto& st = self->state;
  auto it = st.calls.find(id);
  if (it == st.calls.end()) {
    release_client(self, client);
    return;
  }
  auto& pc = it->second;
  // The permit may have taken a while: blocked or paused since?
  if (st.blocked_until > st.now()) {
    release_client(self, client);
    finish(self, id,
           make_error(ec::provider_unavailable, "rate limited, blocked until "
                                                  + iso8601(st.blocked_until)));
    return;
  }
  if (auto now = self->clock().now(); now < st.paused_until) {
    release_client(self, client);
    retry_later(self, id,
                std::chrono::duration_cast<std::chrono::milliseconds>(
                  st.paused_until - now)
                  + std::chrono::milliseconds{1});
    return;
  }
  auto call = pc.call;
  if (!pc.token.empty()) {
    if (st.config.auth == auth_mode::bearer)
      call.headers.push_back("Authorization: Bearer " + pc.token);
    else if (st.config.auth == auth_mode::query_token)
      call.url = add_query_param(call.url, st.config.auth_param, pc.token);
    else if (st.config.auth == auth_mode::header_key)
      call.headers.push_back(st.config.auth_param + ": " + pc.token);
  }
  ++st.requests;
  auto timeout = st.config.client_timeout
                 + std::chrono::milliseconds{call.timeout_ms};
  auto sent = self->clock().now();
  auto took_ms = [self, sent] {
    return std::chrono::duration<double, std::milli>(self->clock().now() - sent)
      .count();
  };
  self
    ->request(st.config.clients[client], timeout, atom::pfetch_v,
              std::move(call))
    .then(
      [self, id, client, took_ms](http_reply& r) {
        self->state.latency_ms.observe(took_ms());
        release_client(self, client);
        handle_reply(self, id, std::move(r));
      },
      [self, id, client, took_ms](const caf::error& err) {
        self->state.latency_ms.observe(took_ms());
        release_client(self, client);
        http_reply r;
        r.status = 0;
        r.timed_out = true;
        r.error = "http client: " + render(err);
        handle_reply(self, id, std::move(r));
      });
}

void after_token(self_ptr self, uint64_t id) {
  auto& st = self->state;
  if (st.config.clients.empty()) {
    finish(self, id, make_error(ec::provider_unavailable, "no http client"));
    return;
  }
  size_t client = st.busy.size();
  for (size_t i = 0; i < st.busy.size(); ++i)
    if (!st.busy[i]) {
      client = i;
      break;
    }
  if (client == st.busy.size()) {
    st.waiting_for_client.push_back(id);
    return;
  }
  st.busy[client] = true;
  self->request(st.config.limiter, caf::infinite, atom::rl_permit_v)
    .then(
      [self, id, client](int64_t waited_ms) {
        self->state.limiter_wait_ms += waited_ms;
        send_call(self, id, client);
      },
      [self, id, client](const caf::error& err) {
        release_client(self, client);
        finish(self, id,
               make_error(ec::provider_unavailable,
                          "rate limiter: " + render(err)));
      });
}

void attempt(self_ptr self, uint64_t id) {
  auto& st = self->state;
  if (st.calls.count(id) == 0)
    return;
  if (auto now = self->clock().now(); now < st.paused_until) {
    retry_later(self, id,
                std::chrono::duration_cast<std::chrono::milliseconds>(
                  st.paused_until - now)
                  + std::chrono::milliseconds{1});
    return;
  }
  if (st.blocked_until > st.now()) {
    finish(self, id,
           make_error(ec::provider_unavailable, "rate limited, blocked until "
                                                  + iso8601(st.blocked_until)));
    return;
  }
  self->request(st.config.breaker, caf::infinite, atom::cb_allow_v)
    .then(
      [self, id](bool allowed) {
        auto& st = self->state;
        if (!allowed) {
          finish(self, id,
                 make_error(ec::provider_unavailable, "circuit breaker open"));
          return;
        }
        if (st.config.auth == auth_mode::none) {
          after_token(self, id);
          return;
        }
        if (!st.config.tokens) {
          // The trial (if any) ends without a call.
          anon_send(st.config.breaker, atom::cb_ok_v);
          finish(self, id,
                 make_error(ec::provider_unavailable, "not authenticated"));
          return;
        }
        self->request(st.config.tokens, caf::infinite, atom::tok_get_v)
          .then(
            [self, id](std::string& token) {
              auto it = self->state.calls.find(id);
              if (it == self->state.calls.end())
                return;
              it->second.token = std::move(token);
              after_token(self, id);
            },
            [self, id](const caf::error& err) {
              // Not authorized: the trial (if any) ends without a call. A
              // failing token endpoint was counted by the refresher already.
              if (not_authorized(err))
                anon_send(self->state.config.breaker, atom::cb_ok_v);
              finish(self, id, token_error(err));
            });
      },
      [self, id](const caf::error& err) {
        finish(self, id,
               make_error(ec::provider_unavailable,
                          "circuit breaker: " + render(err)));
      });
}

} // namespace

namespace {

/// Its calls and pauses, with its breaker's state (asked), for (inspect).
caf::result<actor_summary> summary_of(
  provider_gateway_actor::stateful_pointer<provider_gateway_state> self) {
  const auto& st = self->state;
  auto busy = std::count(st.busy.begin(), st.busy.end(), true);
  auto now = self->clock().now();
  auto paused_ms = st.paused_until > now
                     ? std::chrono::duration_cast<std::chrono::milliseconds>(
                         st.paused_until - now)
                         .count()
                     : 0;
  nlohmann::json details{
    {"provider", st.config.provider},
    {"enabled", st.config.enabled},
    {"requests", st.requests},
    {"calls_in_flight", st.calls.size()},
    {"waiting_for_client", st.waiting_for_client.size()},
    {"clients", st.busy.size()},
    {"clients_busy", busy},
    {"blocked_until", st.blocked_until > st.now() ? st.blocked_until : 0},
    {"paused_ms", paused_ms},
    {"last_error", st.last_error},
    {"rate_limited", st.rate_limited},
    {"transient_errors", st.transient_errors},
    {"retries", st.retries},
    {"failed_calls", st.failed_calls},
    {"limiter_wait_ms", st.limiter_wait_ms},
    {"latency_ms_histogram", st.latency_ms.to_json()},
  };
  auto line = st.config.provider + ": " + std::to_string(st.requests)
              + " requests, " + std::to_string(st.calls.size()) + " in flight";
  auto rp = self->make_response_promise<actor_summary>();
  self->request(st.config.breaker, std::chrono::seconds(2), atom::status_v)
    .then(
      [self, rp, details, line](const provider_status& s) mutable {
        details["breaker"] = {{"state", s.breaker_state},
                              {"consecutive_failures", s.consecutive_failures},
                              {"errors_24h", s.errors_24h}};
        rp.deliver(inspection::summarize(
          self, "gateway", line + ", breaker " + s.breaker_state, details));
      },
      [self, rp, details, line](const caf::error&) mutable {
        rp.deliver(inspection::summarize(
          self, "gateway", line + ", breaker not answering", details));
      });
  return rp;
}

} // namespace

provider_gateway_actor::behavior_type provider_gateway(
  provider_gateway_actor::stateful_pointer<provider_gateway_state> self,
  provider_gateway_config config) {
  self->state.config = std::move(config);
  self->state.blocked_until = self->state.config.blocked_until;
  self->state.busy.assign(self->state.config.clients.size(), false);
  if (!self->state.config.classify)
    self->state.config.classify = classify_http;
  return {
    [self](atom::pfetch, http_call& call) -> caf::result<http_reply> {
      auto& st = self->state;
      auto id = st.next_id++;
      auto rp = self->make_response_promise<http_reply>();
      st.calls.emplace(id, provider_gateway_state::pending_call{
                             std::move(call), rp, 0, false, {}});
      attempt(self, id);
      return rp;
    },
    [self](atom::gw_retry, uint64_t id) { attempt(self, id); },
    [self](atom::status) -> caf::result<provider_status> {
      auto rp = self->make_response_promise<provider_status>();
      self->request(self->state.config.breaker, caf::infinite, atom::status_v)
        .then(
          [self, rp](provider_status s) mutable {
            auto& st = self->state;
            s.provider = st.config.provider;
            s.enabled = st.config.enabled;
            s.authenticated = st.config.auth == auth_mode::none
                              || static_cast<bool>(st.config.tokens);
            s.blocked_until = st.blocked_until > st.now() ? st.blocked_until
                                                          : 0;
            rp.deliver(std::move(s));
          },
          [rp](const caf::error& err) mutable { rp.deliver(err); });
      return rp;
    },
    [self](atom::inspect_atom) { return summary_of(self); },
  };
}

} // namespace discotheque
