#define CAF_SUITE downloads.naming
#include "fixture.hpp"

#include "downloads/naming.hpp"

#include <set>

using namespace discotheque::downloads;

namespace {

wanted_track track() {
  wanted_track t;
  t.artist = "AC/DC";
  t.album_artist = "AC/DC";
  t.album = "Back in Black";
  t.title = "Hells Bells?";
  t.track_number = 1;
  t.year = 1980;
  return t;
}

} // namespace

CAF_TEST(the default pattern gives artist album year number title) {
  auto p = library_path(default_naming_pattern, track(), "flac");
  CAF_CHECK_EQUAL(p.generic_string(),
                  "AC_DC/Back in Black (1980)/01 - Hells Bells_.flac");
}

CAF_TEST(empty values drop their brackets) {
  auto t = track();
  t.year = 0;
  t.track_number = 0;
  t.album_artist.clear();
  auto p = library_path(default_naming_pattern, t, "mp3");
  CAF_CHECK_EQUAL(p.generic_string(), "AC_DC/Back in Black/Hells Bells_.mp3");
}

CAF_TEST(names are safe for every filesystem) {
  CAF_CHECK_EQUAL(safe_name("a:b*c\"d<e>f|g"), "a_b_c_d_e_f_g");
  CAF_CHECK_EQUAL(safe_name("trailing. . "), "trailing");
  CAF_CHECK_EQUAL(safe_name("CON"), "_CON");
  CAF_CHECK_EQUAL(safe_name("com1.txt"), "_com1.txt");
  CAF_CHECK_EQUAL(safe_name(".."), "_");
  CAF_CHECK_EQUAL(safe_name(".hidden"), "_.hidden");
  CAF_CHECK_EQUAL(safe_name(""), "_");
  CAF_CHECK(safe_name(std::string(400, 'x')).size() <= 180);
}

CAF_TEST(a taken place is never overwritten) {
  std::set<std::string> taken{"/m/a.flac", "/m/a (2).flac"};
  auto exists = [&](const std::filesystem::path& p) {
    return taken.count(p.string()) > 0;
  };
  CAF_CHECK_EQUAL(free_path("/m/b.flac", exists).string(), "/m/b.flac");
  CAF_CHECK_EQUAL(free_path("/m/a.flac", exists).string(), "/m/a (3).flac");
}

CAF_TEST(retries back off and then stop) {
  constexpr int64_t hour = int64_t{3600} * 1000;
  CAF_CHECK(retry_delay_ms(1) == std::optional<int64_t>{hour});
  CAF_CHECK(retry_delay_ms(2) == std::optional<int64_t>{6 * hour});
  CAF_CHECK(retry_delay_ms(3) == std::optional<int64_t>{24 * hour});
  CAF_CHECK(retry_delay_ms(4) == std::optional<int64_t>{7 * 24 * hour});
  CAF_CHECK(!retry_delay_ms(5).has_value());
}
