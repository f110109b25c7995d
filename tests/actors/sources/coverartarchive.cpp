#define CAF_SUITE actors.sources.coverartarchive
#include "fixture.hpp"

#include "actors/sources/coverartarchive.hpp"
#include "actors/sources/providers.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace discotheque;
using nlohmann::json;
namespace caa = discotheque::coverartarchive;

namespace {

json fixture(const std::string& name) {
  std::string path = DISCOTHEQUE_SOURCE_DIR;
  path += "/tests/fixtures/" + name;
  std::ifstream in{path, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  if (ss.str().empty())
    CAF_FAIL("missing fixture " << path);
  return json::parse(ss.str());
}

constexpr const char* rel = "e47d04a4-7c2f-4d5c-8ad5-8d2c4e2a3f1b";

} // namespace

CAF_TEST(the descriptor is a metadata provider enabled by default) {
  const auto* d = find_provider("coverartarchive");
  CAF_REQUIRE(d != nullptr);
  CAF_CHECK(d->kind == provider_kind::metadata);
  CAF_CHECK(d->enabled_by_default);
  CAF_CHECK(!d->needs_auth());
  CAF_CHECK_EQUAL(d->defaults.api_base, "https://coverartarchive.org");
  http_reply r;
  r.status = 503;
  CAF_CHECK(d->classify(r) == reply_class::rate_limited);
  r.status = 404;
  CAF_CHECK(d->classify(r) == reply_class::final_error);
  r.status = 200;
  CAF_CHECK(d->classify(r) == reply_class::ok);
}

CAF_TEST(settings come from providers.coverartarchive) {
  config cfg;
  auto s = caa::settings_of(cfg);
  CAF_CHECK(s.enabled);
  CAF_CHECK_EQUAL(s.api_base, "https://coverartarchive.org");
  CAF_CHECK_EQUAL(s.thumbnail, 500);
  CAF_CHECK_EQUAL(s.timeout_ms, 30'000);
  auto& pc = cfg.providers["coverartarchive"];
  pc.api_base = "http://127.0.0.1:9/caa/";
  pc.thumbnail = 1200;
  pc.thumbnail_set = true;
  pc.timeout_s = 5;
  pc.enabled = false;
  pc.enabled_set = true;
  s = caa::settings_of(cfg);
  CAF_CHECK(!s.enabled);
  CAF_CHECK_EQUAL(s.api_base, "http://127.0.0.1:9/caa");
  CAF_CHECK_EQUAL(s.thumbnail, 1200);
  CAF_CHECK_EQUAL(s.timeout_ms, 5000);
  CAF_CHECK_EQUAL(caa::release_index_url(s, rel),
                  std::string{"http://127.0.0.1:9/caa/release/"} + rel);
  CAF_CHECK_EQUAL(caa::release_group_index_url(s, "x"),
                  "http://127.0.0.1:9/caa/release-group/x");
  auto call = caa::make_call(caa::release_index_url(s, rel), s);
  CAF_CHECK_EQUAL(call.method, "GET");
  CAF_CHECK_EQUAL(call.timeout_ms, 5000);
}

CAF_TEST(config accepts only the archive thumbnail sizes) {
  auto parse = [](int n) {
    return config::from_json(
      json{{"providers", {{"coverartarchive", {{"thumbnail", n}}}}}});
  };
  // CAF_CHECK_EQUAL keeps references: the values first, no temporary.
  auto big = parse(1200).providers["coverartarchive"].thumbnail;
  auto original = parse(0).providers["coverartarchive"].thumbnail;
  CAF_CHECK_EQUAL(big, 1200);
  CAF_CHECK_EQUAL(original, 0);
  bool refused = false;
  try {
    parse(700);
  } catch (const config_error& e) {
    refused = std::string{e.what()}.find("thumbnail") != std::string::npos;
  }
  CAF_CHECK(refused);
}

CAF_TEST(the front image of an index at the configured size) {
  auto idx = fixture("coverartarchive/release_index.json");
  auto base = std::string{"https://coverartarchive.org/release/"} + rel;
  // the Back+Spine image comes first in the index: never chosen
  CAF_CHECK_EQUAL(caa::front_image(idx, 500), base + "/31935858269-500.jpg");
  CAF_CHECK_EQUAL(caa::front_image(idx, 1200), base + "/31935858269-1200.jpg");
  CAF_CHECK_EQUAL(caa::front_image(idx, 250), base + "/31935858269-250.jpg");
  CAF_CHECK_EQUAL(caa::front_image(idx, 0), base + "/31935858269.jpg");
}

CAF_TEST(older entries fall back to large and small) {
  auto idx = fixture("coverartarchive/release_index_old.json");
  auto base = std::string{"https://coverartarchive.org/release/"}
              + "5b1e8fd3-2a2c-4b1e-9b5e-0d7a3c9f6e21/12977018883";
  CAF_CHECK_EQUAL(caa::front_image(idx, 1200), base + "-500.jpg");
  CAF_CHECK_EQUAL(caa::front_image(idx, 500), base + "-500.jpg");
  CAF_CHECK_EQUAL(caa::front_image(idx, 250), base + "-250.jpg");
}

CAF_TEST(an index without a front image has none) {
  auto idx = fixture("coverartarchive/release_index.json");
  idx["images"].erase(1);
  CAF_CHECK_EQUAL(caa::front_image(idx, 500), "");
  CAF_CHECK_EQUAL(caa::front_image(json::object(), 500), "");
  CAF_CHECK_EQUAL(caa::front_image(json::array(), 500), "");
  // a pending (not approved) front still serves when it is the only one
  auto pending = fixture("coverartarchive/release_index_old.json");
  pending["images"][0]["approved"] = false;
  CAF_CHECK(!caa::front_image(pending, 500).empty());
  // other hosts are kept as they are (a mirror, the fake)
  pending["images"][0]["thumbnails"]["large"] = "http://127.0.0.1:5/x.jpg";
  CAF_CHECK_EQUAL(caa::front_image(pending, 500), "http://127.0.0.1:5/x.jpg");
}

CAF_TEST(a MusicBrainz release says whether a front exists) {
  std::string path = DISCOTHEQUE_SOURCE_DIR;
  std::ifstream in{path
                     + "/tests/fixtures/musicbrainz/"
                       "fuzzbin_musicbrainz_release_response.json",
                   std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  auto release = json::parse(ss.str());
  CAF_CHECK(caa::release_may_have_front(release)); // front: true
  release["cover-art-archive"]["front"] = false;
  CAF_CHECK(!caa::release_may_have_front(release));
  release.erase("cover-art-archive");
  CAF_CHECK(caa::release_may_have_front(release)); // not said: ask
  CAF_CHECK(caa::release_may_have_front(json{}));
}
