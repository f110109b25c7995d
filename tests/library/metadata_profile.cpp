#define CAF_SUITE library.metadata_profile
#include "library/metadata_profile.hpp"

#include "fixture.hpp"

using namespace discotheque::library;
using nlohmann::json;

CAF_TEST(the default profile counts studio albums and EPs only) {
  auto p = default_profile();
  CAF_CHECK(counts(p, "Album", {}));
  CAF_CHECK(counts(p, "EP", {}));
  CAF_CHECK(!counts(p, "Single", {}));
  CAF_CHECK(!counts(p, "Album", {"Live"}));
  CAF_CHECK(!counts(p, "Album", {"Compilation"}));
  CAF_CHECK(!counts(p, "", {}));                   // no primary type: Other
  CAF_CHECK(!counts(p, "Album", {"Audio drama"})); // unknown: never counts
  auto j = to_json(p).dump();
  CAF_CHECK_EQUAL(j,
                  R"({"primary_types":["Album","EP"],"secondary_types":[]})");
}

CAF_TEST(a profile needs every secondary type of a group) {
  auto r = parse_profile(json::parse(
    R"({"primary_types": ["album", "OTHER"], "secondary_types": ["live"]})"));
  CAF_REQUIRE(r.profile.has_value());
  CAF_CHECK(r.error.empty());
  const auto& p = *r.profile;
  CAF_CHECK(counts(p, "Album", {"Live"}));
  CAF_CHECK(counts(p, "", {}));
  CAF_CHECK(!counts(p, "Album", {"Live", "Compilation"}));
  CAF_CHECK(!counts(p, "EP", {}));
  auto j = to_json(p).dump();
  CAF_CHECK_EQUAL(
    j, R"({"primary_types":["Album","Other"],"secondary_types":["Live"]})");
}

CAF_TEST(bad profiles are refused with the reason) {
  auto unknown = parse_profile(json::parse(
    R"({"primary_types": ["Album", "LP"], "secondary_types": []})"));
  CAF_CHECK(!unknown.profile.has_value());
  CAF_CHECK(unknown.error.find("unknown type 'LP'") != std::string::npos);
  auto second = parse_profile(json::parse(
    R"({"primary_types": ["Album"], "secondary_types": ["Bootleg"]})"));
  CAF_CHECK(second.error.find("'Bootleg'") != std::string::npos);
  auto missing = parse_profile(json::parse(R"({"primary_types": ["Album"]})"));
  CAF_CHECK(missing.error.find("secondary_types") != std::string::npos);
  auto extra = parse_profile(json::parse(
    R"({"primary_types": ["Album"], "secondary_types": [], "x": 1})"));
  CAF_CHECK(extra.error.find("unknown key") != std::string::npos);
  auto none = parse_profile(
    json::parse(R"({"primary_types": [], "secondary_types": []})"));
  CAF_CHECK(!none.profile.has_value());
  CAF_CHECK(!parse_profile(json::parse("[1]")).profile.has_value());
  CAF_CHECK(!parse_profile(json::parse(R"({"primary_types": "Album",
    "secondary_types": []})"))
               .profile.has_value());
  CAF_CHECK(!parse_profile_text("{").profile.has_value());
  CAF_CHECK(parse_profile_text("").profile.has_value());
}
