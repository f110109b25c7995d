#define CAF_SUITE identify.text
#include "identify/text.hpp"

#include "fixture.hpp"

using namespace discotheque::identify;

CAF_TEST(title keys drop edition qualifiers only) {
  CAF_CHECK_EQUAL(title_key("Nevermind (Deluxe Edition)"), "nevermind");
  CAF_CHECK_EQUAL(title_key("Abbey Road [2019 Remaster]"), "abbey road");
  CAF_CHECK_EQUAL(title_key("Help! - Remastered 2009"), "help");
  CAF_CHECK_EQUAL(title_key("Let It Be (Super Deluxe) [Expanded]"),
                  "let it be");
  CAF_CHECK_EQUAL(title_key("Teen Spirit - Single"), "teen spirit");
  CAF_CHECK_EQUAL(title_key("Chapter 1 (The Beginning)"),
                  "chapter 1 the beginning");
  CAF_CHECK_EQUAL(title_key("Undertow (Live)"), "undertow live");
  CAF_CHECK(title_key("Neon Future I") != title_key("Neon Future II"));
  CAF_CHECK_EQUAL(title_key("(Deluxe)"), "deluxe"); // nothing else left
  CAF_CHECK_EQUAL(title_key("Björk’s Homogénic"), "bjorks homogenic");
}

CAF_TEST(name keys and similarity) {
  CAF_CHECK_EQUAL(name_key("The Beatles"), "beatles");
  CAF_CHECK_EQUAL(name_key("Beatles, The"), "beatles");
  CAF_CHECK_EQUAL(name_key("!!!"), "!!!");
  CAF_CHECK_EQUAL(similarity("nirvana", "nirvana"), 1.0);
  CAF_CHECK_EQUAL(similarity("", "nirvana"), 0.0);
  CAF_CHECK_EQUAL(similarity("nirvanna", "nirvana"), 1.0 - 1.0 / 8);
  // Code points, not bytes: one kana differs out of four.
  CAF_CHECK_EQUAL(similarity("ケアレス", "ケアレヌ"), 0.75);
  CAF_CHECK_EQUAL(similarity("ддт", "ddt"), 0.0);
  CAF_CHECK(is_self_titled("Weezer", "Weezer"));
  CAF_CHECK(is_self_titled("weezer (Deluxe Edition)", "Weezer"));
  CAF_CHECK(is_self_titled("Beatles", "The Beatles"));
  CAF_CHECK(!is_self_titled("Pinkerton", "Weezer"));
  CAF_CHECK(is_word_substring("homogenic", "singer of homogenic"));
  CAF_CHECK(!is_word_substring("homo", "singer of homogenic"));
}
