#include "actors/gateway/token_refresher.hpp"

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

namespace discotheque {

std::string base64(std::string_view in) {
  static const char* tbl
    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  while (i + 2 < in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8)
                 | uint8_t(in[i + 2]);
    out += tbl[v >> 18];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += tbl[v & 63];
    i += 3;
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += tbl[v >> 18];
    out += tbl[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += tbl[v >> 18];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string form_encode(std::string_view in) {
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

int64_t token_refresher_state::now() const {
  return config.now ? config.now() : now_ms();
}

bool token_refresher_state::valid() const {
  if (config.access_token.empty())
    return false;
  if (config.expires_at == 0)
    return true; // static token
  return config.expires_at - config.margin.count() > now();
}

namespace {

using self_ptr = token_refresher_actor::stateful_pointer<token_refresher_state>;

void deliver_all(self_ptr self, const caf::error& err) {
  auto waiting = std::move(self->state.waiting);
  self->state.waiting.clear();
  for (auto& rp : waiting) {
    if (err)
      rp.deliver(err);
    else
      rp.deliver(self->state.config.access_token);
  }
}

void schedule_tick(self_ptr self) {
  auto& cfg = self->state.config;
  if (cfg.expires_at == 0 || cfg.refresh_token.empty()
      || self->state.tick_pending)
    return;
  self->state.tick_pending = true;
  auto in = cfg.expires_at - cfg.margin.count() - self->state.now();
  self->delayed_send(self,
                     std::chrono::milliseconds{std::max<int64_t>(in, 1000)},
                     atom::tok_tick_v);
}

/// Ends the refresh in progress without a token.
void give_up(self_ptr self, ec code, std::string what) {
  auto& st = self->state;
  st.refreshing = false;
  st.last_error = redact("token refresh failed: " + what);
  log::get(st.config.provider)->warn("{}", st.last_error);
  deliver_all(self, make_error(code, st.last_error));
}

void post(self_ptr self);

void accept(self_ptr self, const nlohmann::json& doc, std::string access) {
  auto& st = self->state;
  auto log = log::get(st.config.provider);
  auto text = [&](const char* k) -> std::string {
    if (doc.contains(k) && doc[k].is_string())
      return doc[k].get<std::string>();
    return {};
  };
  st.refreshing = false;
  int64_t expires_in = 3600;
  if (doc.contains("expires_in") && doc["expires_in"].is_number_integer())
    expires_in = doc["expires_in"].get<int64_t>();
  st.config.access_token = std::move(access);
  st.config.expires_at = st.now() + expires_in * 1000;
  // A refresh answer without a refresh token keeps the old one.
  if (auto rt = text("refresh_token"); !rt.empty())
    st.config.refresh_token = rt;
  ++st.refreshes;
  st.last_error.clear();
  log->info("access token refreshed, valid for {} s", expires_in);
  if (st.config.store)
    self
      ->request(st.config.store, caf::infinite, atom::write_v,
                storage::persist_tokens(
                  st.config.provider, st.config.access_token,
                  st.config.refresh_token, st.config.expires_at, text("scope")))
      .then([](const write_ack&) {},
            [log](const caf::error&) {
              log->warn("cannot persist refreshed token");
            });
  deliver_all(self, caf::error{});
  schedule_tick(self);
}

void on_reply(self_ptr self, const http_reply& r) {
  auto& st = self->state;
  auto& cfg = st.config;
  auto doc = nlohmann::json::parse(r.body, nullptr, false);
  auto text = [&](const char* k) -> std::string {
    if (doc.is_object() && doc.contains(k) && doc[k].is_string())
      return doc[k].get<std::string>();
    return {};
  };
  // OAuth errors: {"error":"invalid_grant","error_description":…}
  auto what = r.status == 0
                ? r.error
                : "HTTP " + std::to_string(r.status)
                    + (text("error").empty() ? "" : " " + text("error"));
  auto retries = [&] {
    return " after " + std::to_string(st.retries) + " retries";
  };
  auto retry = [&](std::chrono::milliseconds d) {
    ++st.retries;
    self->delayed_send(self, d, atom::tok_retry_v);
  };
  auto ra = http::parse_retry_after(r.retry_after, st.now());
  auto cls = classify_http(r);
  if (cls == reply_class::transient) {
    if (cfg.breaker)
      anon_send(cfg.breaker, atom::cb_fail_v, redact("token refresh: " + what));
    if (st.retries >= cfg.max_retries) {
      give_up(self, ec::bad_response, what + retries());
      // Keeps trying in the background, so the next run may find a token.
      if (!st.tick_pending) {
        st.tick_pending = true;
        self->delayed_send(self, std::chrono::seconds{60}, atom::tok_tick_v);
      }
      return;
    }
    auto d = backoff_delay(st.retries, cfg.backoff_base, cfg.backoff_max);
    if (ra && std::chrono::milliseconds{*ra} <= cfg.backoff_max)
      d = std::max(d, std::chrono::milliseconds{*ra});
    retry(d);
    return;
  }
  // The endpoint answered: the provider is alive.
  if (cfg.breaker)
    anon_send(cfg.breaker, atom::cb_ok_v);
  if (cls == reply_class::rate_limited) {
    if (st.retries >= cfg.max_retries
        || (ra && std::chrono::milliseconds{*ra} > cfg.backoff_max)) {
      give_up(self, ec::bad_response, what + retries());
      return;
    }
    auto d = backoff_delay(st.retries, cfg.backoff_base, cfg.backoff_max);
    if (ra)
      d = std::chrono::milliseconds{*ra};
    retry(d);
    return;
  }
  if (r.status == 400 || r.status == 401) {
    // invalid_grant, invalid_client ...: only a new login helps.
    give_up(self, ec::provider_unavailable, what);
    return;
  }
  auto access = text("access_token");
  if (r.status != 200 || access.empty()) {
    give_up(self, ec::bad_response,
            r.status == 200 ? "HTTP 200 without an access token" : what);
    return;
  }
  accept(self, doc, std::move(access));
}

void send_refresh(self_ptr self);

/// Like every call to the provider: none while its breaker is open (the
/// gateway's own call, if any, was let through as the half-open trial).
void post(self_ptr self) {
  auto& st = self->state;
  if (!st.config.breaker) {
    send_refresh(self);
    return;
  }
  self->request(st.config.breaker, caf::infinite, atom::status_v)
    .then(
      [self](const provider_status& s) {
        if (s.breaker_state == "open")
          give_up(self, ec::provider_unavailable, "circuit breaker open");
        else
          send_refresh(self);
      },
      [self](const caf::error&) { send_refresh(self); });
}

void send_refresh(self_ptr self) {
  auto& st = self->state;
  http_call call;
  call.method = "POST";
  call.url = st.config.token_url;
  call.headers = {"Content-Type: application/x-www-form-urlencoded",
                  "Accept: application/json"};
  if (!st.config.client_secret.empty())
    call.headers.push_back(
      "Authorization: Basic "
      + base64(st.config.client_id + ":" + st.config.client_secret));
  call.body = "grant_type=refresh_token&refresh_token="
              + form_encode(st.config.refresh_token);
  if (st.config.client_secret.empty()) // PKCE clients send their id instead
    call.body += "&client_id=" + form_encode(st.config.client_id);
  self->request(st.config.http, std::chrono::seconds{60}, atom::pfetch_v, call)
    .then([self](const http_reply& r) { on_reply(self, r); },
          [self](const caf::error& err) {
            // No answer from the client counts like a timeout.
            http_reply r;
            r.status = 0;
            r.timed_out = true;
            r.error = "http client: " + render(err);
            on_reply(self, r);
          });
}

void refresh(self_ptr self) {
  auto& st = self->state;
  if (st.refreshing)
    return;
  if (st.config.token_url.empty() || st.config.refresh_token.empty()
      || !st.config.http) {
    deliver_all(self, make_error(ec::provider_unavailable,
                                 st.config.provider
                                   + " token cannot be refreshed"
                                     " (run `discotheque auth "
                                   + st.config.provider + "`)"));
    return;
  }
  st.refreshing = true;
  st.retries = 0;
  post(self);
}

} // namespace

namespace {

/// Never the tokens themselves: only whether one is valid and until when.
actor_summary summary_of(self_ptr self) {
  const auto& st = self->state;
  nlohmann::json details{
    {"provider", st.config.provider},
    {"valid", st.valid()},
    {"expires_at", st.config.expires_at},
    {"refreshing", st.refreshing},
    {"retries", st.retries},
    {"waiting", st.waiting.size()},
    {"refreshes", st.refreshes},
    {"last_error", st.last_error},
  };
  auto line = st.config.provider + ": token "
              + (st.valid() ? "valid" : "not valid")
              + (st.refreshing ? ", refreshing" : "") + ", "
              + std::to_string(st.refreshes) + " refreshes";
  return inspection::summarize(self, "token_refresher", line, details);
}

} // namespace

token_refresher_actor::behavior_type token_refresher(
  token_refresher_actor::stateful_pointer<token_refresher_state> self,
  token_refresher_config config) {
  self->state.config = std::move(config);
  schedule_tick(self);
  return {
    [self](atom::tok_get) -> caf::result<std::string> {
      auto& st = self->state;
      if (st.valid())
        return st.config.access_token;
      auto rp = self->make_response_promise<std::string>();
      st.waiting.push_back(rp);
      refresh(self);
      return rp;
    },
    [self](atom::tok_renew,
           const std::string& stale) -> caf::result<std::string> {
      auto& st = self->state;
      if (st.valid() && st.config.access_token != stale)
        return st.config.access_token;
      if (st.config.token_url.empty() || st.config.refresh_token.empty())
        return make_error(ec::provider_unavailable,
                          st.config.provider + " rejected its access token");
      auto rp = self->make_response_promise<std::string>();
      st.waiting.push_back(rp);
      refresh(self);
      return rp;
    },
    [self](atom::tok_tick) {
      auto& st = self->state;
      st.tick_pending = false;
      if (!st.valid()
          || st.config.expires_at - st.config.margin.count() <= st.now() + 1000)
        refresh(self);
      else
        schedule_tick(self);
    },
    [self](atom::tok_retry) {
      if (self->state.refreshing)
        post(self);
    },
    [self](atom::inspect_atom) { return summary_of(self); },
  };
}

} // namespace discotheque
