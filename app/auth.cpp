#include "app/auth.hpp"

#include "actors/gateway/oauth.hpp"
#include "actors/gateway/token_refresher.hpp"
#include "actors/sources/providers.hpp"
#include "actors/store.hpp"
#include "app/service.hpp"
#include "http/client/client.hpp"
#include "http/server/server.hpp"
#include "messages/error.hpp"
#include "storage/writes/provider_state.hpp"
#include "support/time.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <condition_variable>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>

namespace discotheque {

namespace {

std::string random_string(size_t n, std::string_view alphabet) {
  std::random_device rd;
  std::string s;
  for (size_t i = 0; i < n; ++i)
    s += alphabet[rd() % alphabet.size()];
  return s;
}

std::string random_state() {
  return random_string(32, "0123456789abcdef");
}

} // namespace

int run_auth(const config& cfg, const auth_options& opts) {
  provider_config pc;
  if (auto it = cfg.providers.find(opts.provider); it != cfg.providers.end())
    pc = it->second;
  auto flow = flow_for(opts.provider, pc);
  if (!find_provider(opts.provider)) {
    std::string names;
    for (const auto& d : providers())
      names += (names.empty() ? "" : ", ") + d.name;
    std::cerr << "discotheque: unknown provider '" << opts.provider
              << "'; providers: " << names << '\n';
    return 2;
  }
  if (!flow) {
    std::string with_flows;
    for (const auto& d : providers())
      if (flow_for(d.name, provider_config{}))
        with_flows += (with_flows.empty() ? "" : " and ") + d.name;
    const auto* d = find_provider(opts.provider);
    std::cerr << "discotheque: auth supports " << with_flows << "; for "
              << opts.provider << " put an access_token into providers."
              << opts.provider
              << (d && !d->token_note.empty() ? " (" + d->token_note + ")"
                                              : std::string{})
              << '\n';
    return 2;
  }
  if (pc.client_id.empty()
      || (flow->needs_secret && pc.client_secret.empty())) {
    std::cerr << "discotheque: set providers." << opts.provider
              << (flow->needs_secret ? ".client_id and client_secret"
                                     : ".client_id")
              << " first\n";
    return 2;
  }
  // PKCE: 64 characters from the unreserved set (RFC 7636 §4.1).
  auto verifier = flow->pkce
                    ? random_string(64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijk"
                                        "lmnopqrstuvwxyz0123456789-._~")
                    : std::string{};

  std::mutex mtx;
  std::condition_variable cv;
  std::string code, error;
  bool done = false;
  auto state = random_state();
  http::server srv{
    http::server_options{"127.0.0.1", opts.port, 1, 1 << 16, 30},
    [&](http::request req, http::responder reply) {
      http::response res;
      res.content_type = "text/plain; charset=utf-8";
      if (req.path != "/callback") {
        res.status = 404;
        res.body = "not found\n";
        reply(std::move(res));
        return;
      }
      auto q = [&](const char* k) {
        auto it = req.query.find(k);
        return it == req.query.end() ? std::string{} : it->second;
      };
      std::lock_guard<std::mutex> guard{mtx};
      if (q("state") != state) {
        res.status = 400;
        res.body = "state mismatch: start `discotheque auth " + opts.provider
                   + "` again\n";
      } else if (!q("error").empty()) {
        error = "authorization refused: " + q("error");
        done = true;
        res.status = 400;
        res.body = error + "\n";
      } else if (q("code").empty()) {
        res.status = 400;
        res.body = "no code in the callback\n";
      } else {
        code = q("code");
        done = true;
        res.body = "Discotheque is authorized. You can close this window.\n";
      }
      reply(std::move(res));
      cv.notify_all();
    }};
  try {
    srv.start();
  } catch (const std::exception& e) {
    std::cerr << "discotheque: " << e.what() << '\n';
    return 1;
  }
  auto redirect = "http://127.0.0.1:" + std::to_string(srv.port())
                  + "/callback";
  std::cout << "Add this redirect URI to your " << flow->display
            << " app: " << redirect << "\nThen open this URL in a browser:\n"
            << authorize_url(*flow, pc.client_id, redirect, state, verifier)
            << std::endl;
  {
    std::unique_lock<std::mutex> lock{mtx};
    if (!cv.wait_for(lock, std::chrono::seconds{opts.timeout_s},
                     [&] { return done; })) {
      srv.stop();
      std::cerr << "discotheque: no callback within " << opts.timeout_s
                << " s\n";
      return 1;
    }
  }
  // Let the io thread finish writing the browser's answer before closing.
  std::this_thread::sleep_for(std::chrono::milliseconds{300});
  srv.stop();
  if (!error.empty()) {
    std::cerr << "discotheque: " << error << '\n';
    return 1;
  }
  // Exchange the code for tokens.
  http::curl_client client;
  http_call call;
  call.method = "POST";
  call.url = flow->token_url;
  call.headers = {"Content-Type: application/x-www-form-urlencoded",
                  "Accept: application/json"};
  if (!pc.client_secret.empty())
    call.headers.push_back("Authorization: Basic "
                           + base64(pc.client_id + ":" + pc.client_secret));
  call.body = "grant_type=authorization_code&code=" + form_encode(code)
              + "&redirect_uri=" + form_encode(redirect);
  if (pc.client_secret.empty()) // a public (PKCE) client names itself
    call.body += "&client_id=" + form_encode(pc.client_id);
  if (flow->pkce)
    call.body += "&code_verifier=" + form_encode(verifier);
  auto r = client.perform(call);
  auto doc = nlohmann::json::parse(r.body, nullptr, false);
  auto text = [&](const char* k) -> std::string {
    if (doc.is_object() && doc.contains(k) && doc[k].is_string())
      return doc[k].get<std::string>();
    return {};
  };
  if (r.status != 200 || text("access_token").empty()
      || text("refresh_token").empty()) {
    std::cerr << "discotheque: token exchange failed: "
              << (r.status == 0
                    ? r.error
                    : "HTTP " + std::to_string(r.status) + " " + text("error")
                        + " " + text("error_description"))
              << '\n';
    return 1;
  }
  int64_t expires_in = 3600;
  if (doc.contains("expires_in") && doc["expires_in"].is_number_integer())
    expires_in = doc["expires_in"].get<int64_t>();
  // Store through the store actor (the only writer).
  caf::actor_system_config sys_cfg;
  configure_actor_system(sys_cfg);
  caf::actor_system sys{sys_cfg};
  std::string failure;
  {
    caf::scoped_actor self{sys};
    store_config scfg;
    scfg.db_path = cfg.db_path();
    auto st = sys.spawn<caf::detached>(store, scfg);
    self
      ->request(st, std::chrono::seconds(60), atom::write_v,
                storage::persist_tokens(
                  opts.provider, text("access_token"), text("refresh_token"),
                  now_ms() + expires_in * 1000, text("scope")))
      .receive([](const write_ack&) {},
               [&](const caf::error& err) { failure = render(err); });
    self->send_exit(st, caf::exit_reason::user_shutdown);
  }
  ::chmod(cfg.db_path().c_str(), 0600);
  if (!failure.empty()) {
    std::cerr << "discotheque: cannot store the tokens: " << failure << '\n';
    return 1;
  }
  std::cout << flow->display << " is authorized; the tokens are stored in "
            << cfg.db_path().string() << " (scope: " << text("scope") << ")"
            << std::endl;
  return 0;
}

} // namespace discotheque
