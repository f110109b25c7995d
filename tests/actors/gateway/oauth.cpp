#define CAF_SUITE actors.gateway.oauth
#include "fixture.hpp"

#include "actors/gateway/oauth.hpp"

using namespace discotheque;

CAF_TEST(pkce challenge matches RFC 7636 appendix B) {
  CAF_CHECK_EQUAL(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
                  "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

CAF_TEST(spotify and tidal have flows and deezer has none) {
  provider_config pc;
  auto sp = flow_for("spotify", pc);
  CAF_REQUIRE(sp.has_value());
  CAF_CHECK_EQUAL(sp->authorize_url, "https://accounts.spotify.com/authorize");
  CAF_CHECK_EQUAL(sp->token_url, "https://accounts.spotify.com/api/token");
  CAF_CHECK(!sp->pkce);
  CAF_CHECK(sp->needs_secret);
  auto td = flow_for("tidal", pc);
  CAF_REQUIRE(td.has_value());
  CAF_CHECK_EQUAL(td->authorize_url, "https://login.tidal.com/authorize");
  CAF_CHECK_EQUAL(td->token_url, "https://auth.tidal.com/v1/oauth2/token");
  CAF_CHECK(td->pkce);
  CAF_CHECK(!td->needs_secret);
  CAF_CHECK(!flow_for("deezer", pc).has_value());
  CAF_CHECK(!flow_for("musicbrainz", pc).has_value());
}

CAF_TEST(configured bases replace the defaults) {
  provider_config pc;
  pc.auth_base = "http://127.0.0.1:9/tidal-auth/";
  pc.authorize_url = "http://127.0.0.1:9/login/authorize";
  auto td = flow_for("tidal", pc);
  CAF_REQUIRE(td.has_value());
  CAF_CHECK_EQUAL(td->token_url,
                  "http://127.0.0.1:9/tidal-auth/v1/oauth2/token");
  auto url = authorize_url(*td, "my id", "http://127.0.0.1:8888/callback",
                           "st4te", "verifier");
  CHECK_MSG(url.rfind("http://127.0.0.1:9/login/authorize?client_id=my+id&", 0)
                == 0
              || url.rfind("http://127.0.0.1:9/login/authorize?client_id="
                           "my%20id&",
                           0)
                   == 0,
            url);
  CHECK_MSG(url.find("&code_challenge_method=S256&code_challenge="
                     + pkce_challenge("verifier"))
              != std::string::npos,
            url);
  CHECK_MSG(url.find("scope=collection.read") != std::string::npos, url);
  auto sp = flow_for("spotify", provider_config{});
  auto sp_url = authorize_url(*sp, "cid", "http://127.0.0.1:8888/callback", "s",
                              "");
  CHECK_MSG(sp_url.find("code_challenge") == std::string::npos, sp_url);
}
