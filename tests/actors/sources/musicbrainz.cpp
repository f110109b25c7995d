#define CAF_SUITE actors.sources.musicbrainz
#include "actors/sources/musicbrainz.hpp"

#include "actors/sources/providers.hpp"

#include "fixture.hpp"

#include <nlohmann/json.hpp>

using namespace discotheque;
namespace mb = discotheque::musicbrainz;

CAF_TEST(lucene escaping backslashes every special character) {
  CAF_CHECK_EQUAL(mb::lucene_escape("AC/DC"), "AC\\/DC");
  CAF_CHECK_EQUAL(mb::lucene_escape("Sunn O)))"), "Sunn O\\)\\)\\)");
  CAF_CHECK_EQUAL(mb::lucene_escape("a+b-c && d || e!"),
                  "a\\+b\\-c \\&\\& d \\|\\| e\\!");
  CAF_CHECK_EQUAL(mb::lucene_escape("(){}[]^\"~*?:\\"),
                  "\\(\\)\\{\\}\\[\\]\\^\\\"\\~\\*\\?\\:\\\\");
  CAF_CHECK_EQUAL(mb::lucene_escape("Björk"), "Björk");
  CAF_CHECK_EQUAL(mb::lucene_escape(""), "");
}

CAF_TEST(a phrase escapes only quotes and backslashes) {
  CAF_CHECK_EQUAL(mb::lucene_phrase("artist", "AC/DC"), "artist:\"AC/DC\"");
  CAF_CHECK_EQUAL(mb::lucene_phrase("artist", "The \"Band\" \\ x"),
                  "artist:\"The \\\"Band\\\" \\\\ x\"");
  CAF_CHECK_EQUAL(mb::lucene_phrase("artist", "坂本龍一"),
                  "artist:\"坂本龍一\"");
}

CAF_TEST(request URLs ask for JSON and encode user text) {
  mb::settings s;
  s.api_base = "http://127.0.0.1:1/ws/2";
  auto search = mb::artist_search(s, "AC/DC & Co", 5);
  CAF_CHECK_EQUAL(search.url, "http://127.0.0.1:1/ws/2/artist?query=artist%3A"
                              "%22AC%2FDC%20%26%20Co%22&limit=5&fmt=json");
  CAF_CHECK(search.kind == mb::request_kind::search);
  auto lookup = mb::artist_lookup(s, "5b11f4ce-a62d-471e-81fc-a69a8278c7da");
  CAF_CHECK_EQUAL(lookup.url, "http://127.0.0.1:1/ws/2/artist/"
                              "5b11f4ce-a62d-471e-81fc-a69a8278c7da?fmt=json");
  CAF_CHECK(lookup.kind == mb::request_kind::lookup);
  auto browse = mb::release_group_browse(s, "abc", 100, 100);
  CAF_CHECK_EQUAL(browse.url, "http://127.0.0.1:1/ws/2/release-group?artist="
                              "abc&limit=100&offset=100&fmt=json");
  CAF_CHECK(browse.kind == mb::request_kind::browse);
}

CAF_TEST(a call carries a meaningful user agent and a generous timeout) {
  config cfg;
  cfg.providers["musicbrainz"].contact = "me@example.org";
  auto s = mb::settings_of(cfg);
  auto call = mb::make_call(mb::artist_lookup(s, "x"), s);
  CAF_CHECK_EQUAL(call.method, "GET");
  CAF_CHECK_EQUAL(call.timeout_ms, 30'000);
  CAF_REQUIRE(!call.headers.empty());
  auto ua = call.headers[0];
  CAF_CHECK(ua.rfind("User-Agent: Discotheque/", 0) == 0);
  CAF_CHECK(ua.find("( me@example.org )") != std::string::npos);
  auto fallback = mb::user_agent("");
  CAF_CHECK(fallback.find("https://github.com/discotheque/discotheque")
            != std::string::npos);
}

CAF_TEST(settings default to musicbrainz.org and the documented TTLs) {
  config cfg;
  auto s = mb::settings_of(cfg);
  CAF_CHECK(s.enabled);
  CAF_CHECK_EQUAL(s.api_base, "https://musicbrainz.org/ws/2");
  CAF_CHECK(s.ttl(mb::request_kind::lookup) == std::chrono::hours(30 * 24));
  CAF_CHECK(s.ttl(mb::request_kind::search) == std::chrono::hours(7 * 24));
  CAF_CHECK(s.ttl(mb::request_kind::browse) == std::chrono::hours(24));
  auto& pc = cfg.providers["musicbrainz"];
  pc.api_base = "http://mirror.local:5000/ws/2/";
  pc.cache_ttl_browse_days = 3;
  pc.enabled = false;
  pc.enabled_set = true;
  s = mb::settings_of(cfg);
  CAF_CHECK(!s.enabled);
  CAF_CHECK_EQUAL(s.api_base, "http://mirror.local:5000/ws/2");
  CAF_CHECK(s.ttl(mb::request_kind::browse) == std::chrono::hours(72));
}

CAF_TEST(a 503 is a rate limit whatever its body) {
  http_reply json503;
  json503.status = 503;
  json503.body = R"({"error":"Your requests are exceeding the allowable rate)"
                 R"( limit."})";
  http_reply html503;
  html503.status = 503;
  html503.body = "<html><body>503 Service Temporarily Unavailable</body>";
  CAF_CHECK(classify_musicbrainz(json503) == reply_class::rate_limited);
  CAF_CHECK(classify_musicbrainz(html503) == reply_class::rate_limited);
  http_reply bad_gateway;
  bad_gateway.status = 502;
  CAF_CHECK(classify_musicbrainz(bad_gateway) == reply_class::transient);
  http_reply not_found;
  not_found.status = 404;
  CAF_CHECK(classify_musicbrainz(not_found) == reply_class::final_error);
}

CAF_TEST(a merged entity answers its new id) {
  auto body
    = nlohmann::json::parse(R"({"id":"new-id","name":"X","type":"Group"})");
  CAF_CHECK_EQUAL(mb::answered_id(body), "new-id");
  CAF_CHECK_EQUAL(mb::answered_id(nlohmann::json::array()), "");
  CAF_CHECK(mb::is_mbid("5b11f4ce-a62d-471e-81fc-a69a8278c7da"));
  CAF_CHECK(!mb::is_mbid("5B11F4CE-A62D-471E-81FC-A69A8278C7DA"));
  CAF_CHECK(!mb::is_mbid("not-an-mbid"));
}

CAF_TEST(the descriptor is a metadata provider without an account) {
  const auto* d = find_provider("musicbrainz");
  CAF_REQUIRE(d != nullptr);
  CAF_CHECK(d->kind == provider_kind::metadata);
  CAF_CHECK(!d->needs_auth());
  CAF_CHECK(d->enabled_by_default);
  CAF_CHECK(d->tasks.empty());
  CAF_CHECK_EQUAL(d->defaults.rate_per_second, 1.0);
  auto names = provider_names();
  CAF_CHECK(std::find(names.begin(), names.end(), "musicbrainz")
            == names.end());
}
