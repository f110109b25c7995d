#define CAF_SUITE actors.sources.deezer
#include "fixture.hpp"

#include "actors/sources/deezer.hpp"

using namespace discotheque;

namespace {

http_reply make_reply(int status, std::string body) {
  http_reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

} // namespace

CAF_TEST(deezer errors inside HTTP 200 are classified) {
  CAF_CHECK(
    classify_deezer(make_reply(
      200,
      R"({"error":{"type":"Exception","message":"Quota limit exceeded","code":4}})"))
    == reply_class::rate_limited);
  CAF_CHECK(
    classify_deezer(make_reply(
      200,
      R"({"error":{"type":"DataException","message":"no data","code":800}})"))
    == reply_class::final_error);
  CAF_CHECK(
    classify_deezer(make_reply(
      200,
      R"({"error":{"type":"OAuthException","message":"Invalid OAuth access token.","code":300}})"))
    == reply_class::auth);
  CAF_CHECK(classify_deezer(make_reply(200, R"({"error":{"code":700}})"))
            == reply_class::transient);
  CAF_CHECK(classify_deezer(make_reply(200, R"({"data":[],"total":0})"))
            == reply_class::ok);
  CAF_CHECK(
    classify_deezer(make_reply(200, R"({"data":[{"title":"\"error\""}]})"))
    == reply_class::ok);
  CAF_CHECK(classify_deezer(make_reply(200, "{not json \"error\""))
            == reply_class::ok);
}
