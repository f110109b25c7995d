#define CAF_SUITE http.client
#include "fixture.hpp"

#include "http/client/client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

using namespace discotheque;

namespace {

/// A one-shot HTTP server on 127.0.0.1: answers `responses` in turn, one
/// per connection, and remembers the requests it saw.
struct tiny_server {
  int fd = -1;
  uint16_t port = 0;
  std::vector<std::string> responses;
  std::vector<std::string> requests;
  std::thread thread;
  int delay_ms = 0;

  explicit tiny_server(std::vector<std::string> rs, int delay = 0)
    : responses(std::move(rs)), delay_ms(delay) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(fd, 8);
    socklen_t len = sizeof(addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    thread = std::thread([this] {
      for (auto& r : responses) {
        int c = ::accept(fd, nullptr, nullptr);
        if (c < 0)
          return;
        std::string req;
        char buf[4096];
        while (req.find("\r\n\r\n") == std::string::npos) {
          auto n = ::read(c, buf, sizeof(buf));
          if (n <= 0)
            break;
          req.append(buf, static_cast<size_t>(n));
        }
        requests.push_back(req);
        if (delay_ms)
          std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        ::write(c, r.data(), r.size());
        ::close(c);
      }
    });
  }
  ~tiny_server() {
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
    if (thread.joinable())
      thread.join();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
};

std::string response(int status, const std::string& body,
                     const std::string& extra = "") {
  return "HTTP/1.1 " + std::to_string(status)
         + " X\r\nContent-Type: "
           "application/json\r\nConnection: close\r\nContent-Length: "
         + std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body;
}

} // namespace

CAF_TEST(retry after parses seconds and http dates) {
  CAF_CHECK_EQUAL(http::parse_retry_after("120", 0).value_or(-1), 120000);
  CAF_CHECK_EQUAL(http::parse_retry_after(" 4397 ", 0).value_or(-1), 4397000);
  // 2015-10-21T07:28:00Z = 1445412480 s
  CAF_CHECK_EQUAL(http::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT",
                                          1445412470000)
                    .value_or(-1),
                  10000);
  CAF_CHECK_EQUAL(http::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT",
                                          1445412490000)
                    .value_or(-1),
                  0);
  CAF_CHECK(!http::parse_retry_after("soon", 0));
  CAF_CHECK(!http::parse_retry_after("", 0));
  CAF_CHECK(!http::parse_retry_after("-5", 0));
  CAF_CHECK(http::parse_retry_after("99999999999999999999", 0).value_or(0)
            > 86'400'000);
}

CAF_TEST(user agent names discotheque its version and a contact url) {
  CAF_CHECK_EQUAL(http::user_agent(),
                  std::string{"Discotheque/"} + DISCOTHEQUE_VERSION
                    + " ( https://github.com/discotheque/discotheque )");
}

CAF_TEST(the client reads status body and retry after and sends headers) {
  tiny_server srv{
    {response(429, R"({"error":{"status":429}})", "Retry-After: 7\r\n"),
     response(200, R"({"ok":true})")}};
  http::curl_client client;
  http_call call;
  call.url = srv.url("/v1/me/tracks?limit=50");
  call.headers = {"Authorization: Bearer abc"};
  auto r1 = client.perform(call);
  CAF_CHECK_EQUAL(r1.status, 429);
  CAF_CHECK_EQUAL(r1.retry_after, "7");
  CAF_CHECK_EQUAL(r1.content_type, "application/json");
  auto r2 = client.perform(call);
  CAF_CHECK_EQUAL(r2.status, 200);
  CAF_CHECK_EQUAL(r2.body, R"({"ok":true})");
  CAF_CHECK(r2.retry_after.empty());
  CAF_REQUIRE_EQUAL(srv.requests.size(), 2u);
  const auto& req = srv.requests[0];
  CAF_CHECK(req.find("GET /v1/me/tracks?limit=50 HTTP/1.1") == 0);
  CAF_CHECK(req.find("Authorization: Bearer abc") != std::string::npos);
  CAF_CHECK(req.find("User-Agent: Discotheque/") != std::string::npos);
  CAF_CHECK(req.find("Accept-Encoding:") != std::string::npos);
}

CAF_TEST(a slow server times out and a refused connection is status zero) {
  {
    tiny_server srv{{response(200, "late")}, 800};
    http::curl_client client;
    http_call call;
    call.url = srv.url("/slow");
    call.timeout_ms = 200;
    auto r = client.perform(call);
    CAF_CHECK_EQUAL(r.status, 0);
    CAF_CHECK(r.timed_out);
    CAF_CHECK(!r.error.empty());
  }
  http::curl_client client;
  http_call call;
  call.url = "http://127.0.0.1:1/refused";
  auto r = client.perform(call);
  CAF_CHECK_EQUAL(r.status, 0);
  CAF_CHECK(!r.timed_out);
  CAF_CHECK(r.curl_code != 0);
}

CAF_TEST(an oversized body is cut off with an error) {
  std::string big(300000, 'x');
  tiny_server srv{{response(200, big)}};
  http::client_options opts;
  opts.max_body_bytes = 100000;
  http::curl_client client{opts};
  http_call call;
  call.url = srv.url("/big");
  auto r = client.perform(call);
  CAF_CHECK_EQUAL(r.status, 0);
  CAF_CHECK(r.body.empty());
  CAF_CHECK(r.error.find("larger than") != std::string::npos);
}
