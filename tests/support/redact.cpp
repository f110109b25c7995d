#define CAF_SUITE support.redact
#include "fixture.hpp"

#include "support/redact.hpp"

using discotheque::redact;

CAF_TEST(query and form parameters lose their values) {
  CAF_CHECK_EQUAL(redact("GET /api/library/status?apikey=s3cr3t&sort=name"),
                  "GET /api/library/status?apikey=***&sort=name");
  CAF_CHECK_EQUAL(redact("GET /x?a=1&api_key=k%2F1 HTTP/1.1"),
                  "GET /x?a=1&api_key=*** HTTP/1.1");
  CAF_CHECK_EQUAL(
    redact("grant_type=refresh_token&refresh_token=rt-1&client_id=id"),
    "grant_type=refresh_token&refresh_token=***&client_id=id");
  CAF_CHECK_EQUAL(redact("code=abc&code_verifier=v&client_secret=cs"
                         "&password=pw&token=t&access_token=at"),
                  "code=***&code_verifier=***&client_secret=***"
                  "&password=***&token=***&access_token=***");
  CAF_CHECK_EQUAL(redact("https://api.deezer.com/user/me?ACCESS_TOKEN=dz"),
                  "https://api.deezer.com/user/me?ACCESS_TOKEN=***");
}

CAF_TEST(json string values lose their values) {
  CAF_CHECK_EQUAL(
    redact(
      R"({"access_token":"at-1","token_type":"Bearer","expires_in":3600})"),
    R"({"access_token":"***","token_type":"Bearer","expires_in":3600})");
  CAF_CHECK_EQUAL(redact(R"({"refresh_token" : "r\"t", "scope":"a"})"),
                  R"({"refresh_token" : "***", "scope":"a"})");
  CAF_CHECK_EQUAL(redact(R"({"password":"pw"})"), R"({"password":"***"})");
  // cut off in the middle of the secret: nothing of it is left
  CAF_CHECK_EQUAL(redact(R"({"token":"abcd)"), R"({"token":"***)");
}

CAF_TEST(credential headers lose their values) {
  CAF_CHECK_EQUAL(redact("Authorization: Bearer eyJhbGciOi.x-y"),
                  "Authorization: Bearer ***");
  CAF_CHECK_EQUAL(redact("authorization: Basic aWQ6c2VjcmV0\r\nAccept: */*"),
                  "authorization: Basic ***\r\nAccept: */*");
  CAF_CHECK_EQUAL(redact("X-Api-Key: k-123\nnext"), "X-Api-Key: ***\nnext");
  CAF_CHECK_EQUAL(redact(R"(["Authorization: Bearer tok","Accept: x"])"),
                  R"(["Authorization: Bearer ***","Accept: x"])");
  CAF_CHECK_EQUAL(redact(R"({"Authorization":"Bearer tok"})"),
                  R"({"Authorization":"Bearer ***"})");
}

CAF_TEST(other text is left alone) {
  for (auto s : {"error_code=5&codec=flac&mytoken=1", "code", "token=",
                 "HTTP 503 for POST https://accounts.example/api/token",
                 "the code is good", R"({"code":4,"message":"quota"})",
                 "Authorization:", ""})
    CAF_CHECK_EQUAL(redact(s), s);
}
