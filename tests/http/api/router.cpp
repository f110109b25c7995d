#define CAF_SUITE http.api.router
#include "fixture.hpp"

#include "http/api/requests.hpp"
#include "http/api/router.hpp"

using namespace discotheque;
using namespace discotheque::http;

namespace {

using handler = std::string;

request req(std::string method, std::string path) {
  return http_test::make_request(std::move(method), std::move(path));
}

router<handler> table() {
  router<handler> r;
  r.add("GET", "/api/library/artists", "list")
    .add("GET", "/api/library/artists/{id}", "one")
    .add("PUT", "/api/library/artists/{id}", "put")
    .add("POST", "/api/library/tasks/{name}/run", "run");
  return r;
}

std::string allow_header(const response& r) {
  return http_test::header_of(r, "Allow");
}

} // namespace

CAF_TEST(paths split into their segments) {
  CAF_CHECK_EQUAL(split_path("/api//x/1/"),
                  (std::vector<std::string>{"api", "x", "1"}));
  CAF_CHECK(split_path("/").empty());
}

CAF_TEST(a route matches its method and captures parameters) {
  auto r = table();
  auto m = r.match(req("GET", "/api/library/artists/42"));
  CAF_REQUIRE(m.handler != nullptr);
  CAF_CHECK_EQUAL(*m.handler, "one");
  CAF_CHECK_EQUAL(m.params.at("id"), "42");
  m = r.match(req("PUT", "/api/library/artists/42/"));
  CAF_REQUIRE(m.handler != nullptr);
  CAF_CHECK_EQUAL(*m.handler, "put");
  m = r.match(req("POST", "/api/library/tasks/health_check/run"));
  CAF_REQUIRE(m.handler != nullptr);
  CAF_CHECK_EQUAL(m.params.at("name"), "health_check");
}

CAF_TEST(HEAD is answered where GET is) {
  auto r = table(); // the match points into it
  auto m = r.match(req("HEAD", "/api/library/artists"));
  CAF_REQUIRE(m.handler != nullptr);
  CAF_CHECK_EQUAL(*m.handler, "list");
}

CAF_TEST(a wrong method is 405 with the allowed ones) {
  auto r = table();
  auto m = r.match(req("DELETE", "/api/library/artists/1"));
  CAF_CHECK(m.handler == nullptr);
  CAF_REQUIRE(m.error.has_value());
  CAF_CHECK_EQUAL(m.error->status, 405);
  CAF_CHECK_EQUAL(allow_header(*m.error), "GET, HEAD, PUT");
  m = r.match(req("GET", "/api/library/tasks/x/run"));
  CAF_REQUIRE(m.error.has_value());
  CAF_CHECK_EQUAL(allow_header(*m.error), "POST");
}

CAF_TEST(an unknown path is 404) {
  auto r = table();
  auto m = r.match(req("GET", "/api/library/artistsfoo"));
  CAF_REQUIRE(m.error.has_value());
  CAF_CHECK_EQUAL(m.error->status, 404);
  CAF_CHECK(!r.owns("/api/library/artists/1/2"));
  CAF_CHECK(r.owns("/api/library/artists/1"));
}
