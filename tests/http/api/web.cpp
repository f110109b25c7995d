#define CAF_SUITE http.api.web
#include "fixture.hpp"

#include "http/api/requests.hpp"
#include "http/api/web.hpp"

#include <nlohmann/json.hpp>

using namespace discotheque;
using namespace discotheque::http;

namespace {

using http_test::header_of;

request req(std::string method, std::string path) {
  return http_test::make_request(std::move(method), std::move(path));
}

const std::vector<web_asset>& assets() {
  static const std::vector<web_asset> all = {
    {"/index.html", "<!doctype html>", "\"abc\""},
    {"/app.js", "export {};", "\"def\""},
  };
  return all;
}

} // namespace

CAF_TEST(the root serves index.html with its type and cache headers) {
  auto r = serve_web(req("GET", "/"), assets());
  CAF_CHECK_EQUAL(r.status, 200);
  CAF_CHECK_EQUAL(r.body, "<!doctype html>");
  CAF_CHECK_EQUAL(r.content_type, "text/html; charset=utf-8");
  auto etag = header_of(r, "ETag");
  CAF_CHECK_EQUAL(etag, "\"abc\"");
  auto cache = header_of(r, "Cache-Control");
  CAF_CHECK_EQUAL(cache, "no-cache");
  auto same = serve_web(req("GET", "/index.html"), assets());
  CAF_CHECK_EQUAL(same.body, r.body);
}

CAF_TEST(scripts are javascript and HEAD is answered like GET) {
  auto r = serve_web(req("HEAD", "/app.js"), assets());
  CAF_CHECK_EQUAL(r.status, 200);
  CAF_CHECK_EQUAL(r.content_type, "text/javascript; charset=utf-8");
  CAF_CHECK_EQUAL(content_type_for("/style.css"), "text/css; charset=utf-8");
  CAF_CHECK_EQUAL(content_type_for("/x.bin"), "application/octet-stream");
}

CAF_TEST(a matching etag in the request is a 304 without body) {
  auto q = req("GET", "/app.js");
  q.headers["if-none-match"] = "\"zzz\", W/\"def\"";
  auto r = serve_web(q, assets());
  CAF_CHECK_EQUAL(r.status, 304);
  CAF_CHECK(r.body.empty());
  auto etag = header_of(r, "ETag");
  CAF_CHECK_EQUAL(etag, "\"def\"");
  q.headers["if-none-match"] = "\"old\"";
  auto fresh = serve_web(q, assets());
  CAF_CHECK_EQUAL(fresh.status, 200);
  CAF_CHECK_EQUAL(fresh.body, "export {};");
}

CAF_TEST(unknown files are 404 and other methods 405) {
  auto missing = serve_web(req("GET", "/../api_key"), assets());
  CAF_CHECK_EQUAL(missing.status, 404);
  auto body = nlohmann::json::parse(missing.body);
  auto code = body["error"].get<std::string>();
  CAF_CHECK_EQUAL(code, "not_found");
  auto post = serve_web(req("POST", "/index.html"), assets());
  CAF_CHECK_EQUAL(post.status, 405);
  auto allow = header_of(post, "Allow");
  CAF_CHECK(allow.find("GET") != std::string::npos);
}

CAF_TEST(the binary carries the dashboard files) {
  const auto& all = web_assets();
  for (const char* path : {"/index.html", "/app.js", "/style.css"}) {
    auto r = serve_web(req("GET", path), all);
    CAF_CHECK_EQUAL(r.status, 200);
    CAF_CHECK(!r.body.empty());
    auto etag = header_of(r, "ETag");
    CAF_CHECK_EQUAL(etag.size(), 22u);
  }
  auto index = serve_web(req("GET", "/"), all);
  CAF_CHECK(index.body.find("/app.js") != std::string::npos);
}
