#define CAF_SUITE config.config
#include "fixture.hpp"

#include "config/config.hpp"

using namespace discotheque;
using nlohmann::json;

namespace {

/// The config_error's text for `doc`, or "" when it is accepted.
std::string refusal(const json& doc) {
  try {
    config::from_json(doc);
    return "";
  } catch (const config_error& e) {
    return e.what();
  }
}

} // namespace

CAF_TEST(the log level is warn and warning an alias) {
  CAF_CHECK_EQUAL(config::from_json(json{{"log_level", "warn"}}).log_level,
                  "warn");
  CAF_CHECK_EQUAL(config::from_json(json{{"log_level", "warning"}}).log_level,
                  "warning");
  auto why = refusal(json{{"log_level", "loud"}});
  CHECK_MSG(why.find("'log_level'") != std::string::npos
              && why.find("warn,") != std::string::npos,
            why);
}

CAF_TEST(the health check free space threshold is a setting) {
  CAF_CHECK_EQUAL(config::from_json(json::object()).health_min_free_mb, 512);
  auto c = config::from_json(json{{"health", {{"min_free_mb", 2048}}}});
  CAF_CHECK_EQUAL(c.health_min_free_mb, 2048);
  auto why = refusal(json{{"health", {{"min_free_mb", 0}}}});
  CHECK_MSG(why.find("health.min_free_mb") != std::string::npos, why);
  why = refusal(json{{"health", {{"min_free", 1}}}});
  CHECK_MSG(why.find("health.min_free") != std::string::npos, why);
  why = refusal(json{{"health", 1}});
  CHECK_MSG(why.find("health") != std::string::npos, why);
}

CAF_TEST(the metrics token is a string under metrics) {
  CAF_CHECK_EQUAL(config::from_json(json::object()).metrics_token, "");
  auto c = config::from_json(json{{"metrics", {{"token", "t0k"}}}});
  CAF_CHECK_EQUAL(c.metrics_token, "t0k");
  auto why = refusal(json{{"metrics", {{"token", 5}}}});
  CHECK_MSG(why.find("metrics.token") != std::string::npos, why);
  why = refusal(json{{"metrics", {{"tokens", "x"}}}});
  CHECK_MSG(why.find("metrics.tokens") != std::string::npos, why);
}

CAF_TEST(identify min confidence is strict by default or a number) {
  CAF_CHECK(!config::from_json(json::object()).identify_min_confidence);
  auto c = config::from_json(json{{"identify", {{"min_confidence", 0.95}}}});
  CAF_REQUIRE(c.identify_min_confidence);
  CAF_CHECK_EQUAL(*c.identify_min_confidence, 0.95);
  auto strict
    = config::from_json(json{{"identify", {{"min_confidence", "strict"}}}});
  CAF_CHECK(!strict.identify_min_confidence);
  CAF_CHECK(!refusal(json{{"identify", {{"min_confidence", 0.2}}}}).empty());
  CAF_CHECK(!refusal(json{{"identify", {{"min_margin", 0.2}}}}).empty());
}
