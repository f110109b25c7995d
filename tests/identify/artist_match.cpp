#define CAF_SUITE identify.artist_match
#include "identify/artist_match.hpp"

#include "mb_fixture.hpp"

using namespace discotheque::identify;
using nlohmann::json;

namespace {

const std::string nirvana_us = "5b11f4ce-a62d-471e-81fc-a69a8278c7da";
const std::string nirvana_uk = "9282c8b4-ca0b-4c6b-b7e3-4f7762dfc4d6";
const std::string nirvana_fr = "c49d69dc-e008-47cf-b5ff-160fafb1fe1f";
const std::string nirvana_fi = "85af0709-95db-4fbc-801a-120e9f4766d0";

std::vector<mb_artist> nirvanas() {
  return parse_artist_search(
    mb_test::fixture("fuzzbin_musicbrainz_artist_search_response.json"));
}

mb_artist artist(std::string mbid, std::string name, int score,
                 std::string country = "", std::string disamb = "") {
  mb_artist a;
  a.mbid = std::move(mbid);
  a.name = std::move(name);
  a.sort_name = a.name;
  a.mb_score = score;
  a.country = std::move(country);
  a.disambiguation = std::move(disamb);
  a.type = "Group";
  return a;
}

std::vector<mb_release_group> groups(std::vector<std::string> titles) {
  std::vector<mb_release_group> out;
  int n = 0;
  for (auto& t : titles) {
    mb_release_group rg;
    rg.mbid = "00000000-0000-4000-8000-00000000000" + std::to_string(n++);
    rg.title = std::move(t);
    rg.primary_type = "Album";
    out.push_back(std::move(rg));
  }
  return out;
}

library_artist lib(std::string name, std::vector<std::string> albums = {}) {
  library_artist a;
  a.id = 7;
  a.name = std::move(name);
  a.album_titles = std::move(albums);
  return a;
}

// Two same-name artists MusicBrainz scores 100 each.
const std::string alpha = "11111111-1111-4111-8111-111111111111";
const std::string beta = "22222222-2222-4222-8222-222222222222";
std::vector<mb_artist> two_same_name() {
  return {artist(alpha, "Mirage", 100, "", "Dutch synth band"),
          artist(beta, "Mirage", 100, "", "UK jazz trio")};
}

} // namespace

CAF_TEST(a real artist search parses with scores aliases and nulls) {
  auto hits = nirvanas();
  CAF_REQUIRE_EQUAL(hits.size(), 5u);
  CAF_CHECK_EQUAL(hits[0].mbid, nirvana_us);
  CAF_CHECK_EQUAL(hits[0].name, "Nirvana");
  CAF_CHECK_EQUAL(hits[0].sort_name, "Nirvana");
  CAF_CHECK_EQUAL(hits[0].type, "Group");
  CAF_CHECK_EQUAL(hits[0].country, "US");
  CAF_CHECK_EQUAL(hits[0].disambiguation, "1980s–1990s US grunge band");
  CAF_CHECK_EQUAL(hits[0].mb_score, 100);
  auto& al = hits[0].aliases;
  CAF_CHECK(std::find(al.begin(), al.end(), "ニルヴァーナ") != al.end());
  CAF_CHECK(std::find(al.begin(), al.end(), "Nirvana US") != al.end());
  CAF_CHECK_EQUAL(std::count(al.begin(), al.end(), "Nirvana"), 1);
  CAF_CHECK_EQUAL(hits[1].mb_score, 73);
  CAF_CHECK_EQUAL(hits[1].country, "GB");
  CAF_CHECK_EQUAL(hits[2].name, "Approaching Nirvana");
  CAF_CHECK_EQUAL(hits[2].disambiguation, ""); // absent in the body
  CAF_CHECK_EQUAL(hits[4].mb_score, 61);
  auto shore
    = parse_artist_search(mb_test::fixture("mbsolr_search_artist-list.json"));
  CAF_REQUIRE_EQUAL(shore.size(), 1u);
  CAF_CHECK_EQUAL(shore[0].sort_name, "Shore, Howard");
  CAF_CHECK_EQUAL(shore[0].type, "Person");
  CAF_CHECK_EQUAL(shore[0].country, "CA");
  CAF_CHECK(
    std::find(shore[0].aliases.begin(), shore[0].aliases.end(), "H. Shore")
    != shore[0].aliases.end());
}

CAF_TEST(an old string score and a wrong shape) {
  auto hits = parse_artist_search(json::parse(
    R"({"artists":[{"id":"x","name":"A","score":"100","type":null}]})"));
  CAF_REQUIRE_EQUAL(hits.size(), 1u);
  CAF_CHECK_EQUAL(hits[0].mb_score, 100);
  CAF_CHECK_EQUAL(hits[0].type, "");
  auto no_array = mb_test::invalid_argument_of(
    [] { parse_artist_search(json::parse(R"({"artists":{}})")); });
  CAF_CHECK(no_array.find("artists") != std::string::npos);
  auto no_id = mb_test::invalid_argument_of(
    [] { parse_artist_search(json::parse(R"({"artists":[{"name":"A"}]})")); });
  CAF_CHECK(no_id.find("\"id\"") != std::string::npos);
  auto not_object = mb_test::invalid_argument_of(
    [] { parse_release_group_browse(json::parse("[]")); });
  CAF_CHECK(not_object.find("release-group browse") != std::string::npos);
}

CAF_TEST(release groups parse from a search body and a browse page) {
  auto page = parse_release_group_browse(
    mb_test::fixture("mbsolr_search_release-group-list.json"));
  CAF_REQUIRE_EQUAL(page.groups.size(), 1u);
  CAF_CHECK_EQUAL(page.total, 1);
  CAF_CHECK_EQUAL(page.groups[0].mbid, "268d91a0-1a7f-4600-bfd4-74d738eb7de4");
  CAF_CHECK_EQUAL(page.groups[0].title, "Chiptunes = WIN \\m|♥|m/");
  CAF_CHECK_EQUAL(page.groups[0].primary_type, "Album");
  CAF_REQUIRE_EQUAL(page.groups[0].secondary_types.size(), 1u);
  CAF_CHECK_EQUAL(page.groups[0].secondary_types[0], "Compilation");
  // A browse page (generated, the shape of the wire notes).
  auto browse = parse_release_group_browse(json::parse(R"({
    "release-group-count": 16, "release-group-offset": 100,
    "release-groups": [
      {"id": "a", "title": "Nevermind", "primary-type": "Album",
       "secondary-types": [], "first-release-date": "1991-09-24",
       "disambiguation": ""},
      {"id": "b", "title": "Hormoaning", "primary-type": null,
       "secondary-types": ["Compilation", "Live"], "first-release-date": ""}
    ]})"));
  CAF_CHECK_EQUAL(browse.total, 16);
  CAF_CHECK_EQUAL(browse.offset, 100);
  CAF_REQUIRE_EQUAL(browse.groups.size(), 2u);
  CAF_CHECK_EQUAL(browse.groups[0].first_release_date, "1991-09-24");
  CAF_CHECK_EQUAL(browse.groups[1].primary_type, "");
  CAF_CHECK_EQUAL(browse.groups[1].secondary_types.size(), 2u);
}

CAF_TEST(an exact single match is chosen) {
  auto shore
    = parse_artist_search(mb_test::fixture("mbsolr_search_artist-list.json"));
  auto d = decide_artist(lib("Howard Shore"), shore, {});
  CAF_REQUIRE(d.chosen.has_value());
  CAF_CHECK_EQUAL(*d.chosen, "9b58672a-e68e-4972-956e-a8985a165a1f");
  CAF_CHECK_GREATER_OR_EQUAL(d.confidence, 0.9);
  CAF_REQUIRE_EQUAL(d.candidates.size(), 1u);
  CAF_CHECK_EQUAL(d.candidates[0].features.at("name"), 1.0);
  CAF_CHECK(d.why.find("name exact") != std::string::npos);
}

CAF_TEST(same name artists without evidence get no mbid) {
  auto d = decide_artist(lib("Mirage", {"Unknown Pleasures 2"}),
                         two_same_name(), {});
  CAF_CHECK(!d.chosen.has_value());
  CAF_CHECK_EQUAL(d.margin, 0.0);
  CAF_CHECK(d.why.find("2 candidates named \"Mirage\"") != std::string::npos);
  CAF_CHECK(d.why.find("no evidence separates them") != std::string::npos);
  CAF_CHECK(d.why.find("UK jazz trio") != std::string::npos);
  CAF_REQUIRE_EQUAL(d.candidates.size(), 2u);
  for (const auto& c : d.candidates) {
    CAF_CHECK_EQUAL(c.features.count("name"), 1u);
    CAF_CHECK_EQUAL(c.features.count("albums_matched"), 1u);
    CAF_CHECK_EQUAL(c.features.count("mb_score"), 1u);
  }
  // The real Nirvana search: 100, 73, 61, 61 for four bands of that name.
  auto n = decide_artist(lib("Nirvana", {"Bleach"}), nirvanas(), {});
  CAF_CHECK(!n.chosen.has_value());
  CAF_CHECK(n.why.find("candidates named \"Nirvana\"") != std::string::npos);
}

CAF_TEST(album evidence separates same name artists) {
  release_groups_by_artist rgs{
    {alpha, groups({"Crystal Nights", "Mirage", "Harbour Lights (Deluxe)"})},
    {beta, groups({"Blue Hours", "Live at Ronnie's"})}};
  auto lib_a = lib("Mirage", {"Crystal Nights", "Harbour Lights", "Mirage"});
  auto d = decide_artist(lib_a, two_same_name(), rgs);
  CAF_REQUIRE(d.chosen.has_value());
  CAF_CHECK_EQUAL(*d.chosen, alpha);
  CAF_CHECK_GREATER_OR_EQUAL(d.margin, 0.15);
  CAF_REQUIRE_EQUAL(d.candidates.size(), 2u);
  CAF_CHECK_EQUAL(d.candidates[0].features.at("albums_matched"), 2.25);
  CAF_CHECK_EQUAL(d.candidates[1].features.at("albums_matched"), 0.0);
  CAF_CHECK(d.why.find("albums match") != std::string::npos);
  // The other library, the other artist.
  auto d2 = decide_artist(lib("Mirage", {"Blue Hours"}), two_same_name(), rgs);
  CAF_REQUIRE(d2.chosen.has_value());
  CAF_CHECK_EQUAL(*d2.chosen, beta);
  CAF_CHECK(d2.why.find("1 of 1 albums match") != std::string::npos);
  // Real Nirvana candidates, every same-name one browsed.
  release_groups_by_artist nrg{
    {nirvana_us, groups({"Bleach", "Nevermind", "In Utero"})},
    {nirvana_uk, groups({"The Story of Simon Simopath", "Local Anaesthetic"})},
    {nirvana_fr, groups({"Nirvana"})},
    {nirvana_fi, groups({"Nirvana"})}};
  auto n = decide_artist(lib("Nirvana", {"Nevermind", "In Utero"}), nirvanas(),
                         nrg);
  CAF_REQUIRE(n.chosen.has_value());
  CAF_CHECK_EQUAL(*n.chosen, nirvana_us);
}

CAF_TEST(a self titled album alone is weak evidence) {
  release_groups_by_artist rgs{{alpha, groups({"Mirage"})},
                               {beta, groups({"Blue Hours"})}};
  auto d = decide_artist(lib("Mirage", {"Mirage"}), two_same_name(), rgs);
  CAF_CHECK(!d.chosen.has_value());
  CAF_CHECK(d.why.find("does not separate them") != std::string::npos);
}

CAF_TEST(a same name rival whose albums were not fetched blocks) {
  release_groups_by_artist rgs{{alpha, groups({"Crystal Nights", "Tides"})}};
  auto d = decide_artist(lib("Mirage", {"Crystal Nights", "Tides"}),
                         two_same_name(), rgs);
  CAF_CHECK(!d.chosen.has_value());
  CAF_CHECK(d.why.find("were not fetched") != std::string::npos);
  auto browse = candidates_to_browse(lib("Nirvana"), nirvanas());
  CAF_REQUIRE_EQUAL(browse.size(), 4u); // not "Approaching Nirvana"
  CAF_CHECK_EQUAL(browse[0], nirvana_us);
  CAF_CHECK_EQUAL(browse[1], nirvana_uk);
}

CAF_TEST(isrc and country evidence separate same name artists) {
  auto a = lib("Mirage");
  a.isrcs = {"NLA208800001", "NLA208800002", "GBXYZ0000001"};
  artists_by_isrc by_isrc{{"NLA208800001", {alpha}},
                          {"NLA208800002", {alpha, "someone-else"}}};
  auto d = decide_artist(a, two_same_name(), {}, by_isrc);
  CAF_REQUIRE(d.chosen.has_value());
  CAF_CHECK_EQUAL(*d.chosen, alpha);
  CAF_CHECK_EQUAL(d.candidates[0].features.at("isrcs_matched"), 2.0);
  CAF_CHECK_EQUAL(d.candidates[1].features.at("isrcs_resolved"), 2.0);
  auto cands = two_same_name();
  cands[0].country = "NL";
  cands[1].country = "GB";
  auto c = lib("Mirage");
  c.country = "gb";
  auto dc = decide_artist(c, cands, {});
  CAF_REQUIRE(dc.chosen.has_value());
  CAF_CHECK_EQUAL(*dc.chosen, beta);
}

CAF_TEST(the and sort names and diacritics compare normalized) {
  auto beatles = std::vector<mb_artist>{
    artist("b10bbbfc-cf9e-42e0-be17-e2c3e1d2600d", "The Beatles", 100, "GB")};
  beatles[0].sort_name = "Beatles, The";
  auto others = beatles;
  others.push_back(artist("f0000000-0000-4000-8000-000000000001",
                          "The Beatles Revival Band", 62));
  for (auto name : {"Beatles", "the beatles", "Beatles, The"}) {
    auto d = decide_artist(lib(name), others, {});
    CAF_REQUIRE(d.chosen.has_value());
    CAF_CHECK_EQUAL(*d.chosen, beatles[0].mbid);
    CAF_CHECK_EQUAL(d.candidates[0].features.at("name"), 0.97);
  }
  auto bjork = std::vector<mb_artist>{
    artist("87c5dedd-371d-4a53-9f7f-80522fb7f3cb", "Björk", 100, "IS")};
  auto d = decide_artist(lib("Bjork"), bjork, {});
  CAF_REQUIRE(d.chosen.has_value());
  auto d2 = decide_artist(lib("BJÖRK"), bjork, {});
  CAF_REQUIRE(d2.chosen.has_value());
}

CAF_TEST(non latin names compare as they are) {
  auto ddt = std::vector<mb_artist>{
    artist("d0000000-0000-4000-8000-0000000000dd", "ДДТ", 100, "RU")};
  auto same = decide_artist(lib("ДДТ"), ddt, {});
  CAF_REQUIRE(same.chosen.has_value());
  auto lower = decide_artist(lib("ддт"), ddt, {});
  CAF_REQUIRE(lower.chosen.has_value());
  // No transliteration: the Latin spelling needs an alias.
  auto latin = decide_artist(lib("DDT"), ddt, {});
  CAF_CHECK(!latin.chosen.has_value());
  CAF_CHECK(latin.why.find("no candidate named") != std::string::npos);
  ddt[0].aliases = {"DDT"};
  auto aliased = decide_artist(lib("DDT"), ddt, {});
  CAF_REQUIRE(aliased.chosen.has_value());
  // Japanese, from the real search: only the US band has that alias.
  auto jp = decide_artist(lib("ニルヴァーナ"), nirvanas(), {});
  CAF_REQUIRE(jp.chosen.has_value());
  CAF_CHECK_EQUAL(*jp.chosen, nirvana_us);
  CAF_CHECK_EQUAL(jp.candidates[0].features.at("alias"), 1.0);
}

CAF_TEST(an alias matches) {
  auto d = decide_artist(lib("Nirvana US"), nirvanas(), {});
  // Only the US band has that alias; the other Nirvanas are near names.
  CAF_REQUIRE(d.chosen.has_value());
  CAF_CHECK_EQUAL(*d.chosen, nirvana_us);
  CAF_CHECK(d.why.find("alias") != std::string::npos);
}

CAF_TEST(a near name is not chosen) {
  auto d = decide_artist(lib("Nirvanna"), nirvanas(), {});
  CAF_CHECK(!d.chosen.has_value());
  CAF_CHECK(d.why.find("no candidate named \"Nirvanna\"") != std::string::npos);
  CAF_REQUIRE(!d.candidates.empty());
  CAF_CHECK_LESS(d.candidates[0].features.at("name"), 0.9);
  CAF_CHECK_GREATER(d.candidates[0].features.at("name"), 0.5);
  // Even with album evidence a typo stays below the strict minimum.
  release_groups_by_artist rgs{{nirvana_us, groups({"Nevermind", "Bleach"})}};
  auto e = decide_artist(lib("Nirvanna", {"Nevermind", "Bleach"}), nirvanas(),
                         rgs);
  CAF_CHECK(!e.chosen.has_value());
  auto none = decide_artist(lib("Nobody"), {}, {});
  CAF_CHECK(!none.chosen.has_value());
  CAF_CHECK(none.why.find("found no artist") != std::string::npos);
}
