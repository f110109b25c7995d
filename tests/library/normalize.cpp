#define CAF_SUITE library.normalize
#include "fixture.hpp"

#include "library/normalize.hpp"

using namespace discotheque::library;

CAF_TEST(case accents punctuation and whitespace fold) {
  CAF_CHECK_EQUAL(fold("  Björk  "), "bjork");
  CAF_CHECK_EQUAL(fold("BJÖRK"), "bjork");
  CAF_CHECK_EQUAL(fold("Sigur Rós"), fold("sigur ros"));
  CAF_CHECK_EQUAL(fold("Ágætis byrjun"), "agaetis byrjun");
  CAF_CHECK_EQUAL(fold("AC/DC"), fold("AC-DC"));
  CAF_CHECK_EQUAL(fold("Abbey  \t Road"), "abbey road");
  CAF_CHECK_EQUAL(fold("Simon & Garfunkel"), "simon and garfunkel");
  CAF_CHECK_EQUAL(fold("Timothy’s Monster"), fold("Timothys Monster"));
  CAF_CHECK_EQUAL(fold("Motörhead"), "motorhead");
  CAF_CHECK_EQUAL(fold("Łódź"), "lodz");
  CAF_CHECK_EQUAL(fold("Straße"), "strasse");
  // decomposed accents (NFD) fold like composed ones
  CAF_CHECK_EQUAL(fold("Bjo\xcc\x88rk"), "bjork");
  CAF_CHECK_EQUAL(fold("ДДТ"), fold("ддт"));
}

CAF_TEST(a leading The does not matter for artists) {
  CAF_CHECK_EQUAL(artist_key("The Beatles"), "beatles");
  CAF_CHECK_EQUAL(artist_key("the beatles"), "beatles");
  CAF_CHECK_EQUAL(artist_key("Beatles, The"), "beatles");
  CAF_CHECK_EQUAL(artist_key("THE BEATLES "), "beatles");
  CAF_CHECK_EQUAL(artist_key("The The"), "the"); // the band keeps a name
  CAF_CHECK_EQUAL(artist_key("Theatre of Tragedy"), "theatre of tragedy");
}

CAF_TEST(the exact spelling of an artist keeps its The) {
  CAF_CHECK_EQUAL(artist_spelling("The Beatles"), "the beatles");
  CAF_CHECK_EQUAL(artist_spelling("THE  BEATLES "), "the beatles");
  CAF_CHECK_EQUAL(artist_spelling("Beatles, The"), "the beatles");
  CAF_CHECK_EQUAL(artist_spelling("Beatles"), "beatles");
  CAF_CHECK_EQUAL(artist_spelling("Björk"), artist_spelling("bjork"));
  CAF_CHECK_EQUAL(artist_spelling("The The"), "the the");
  CAF_CHECK_EQUAL(artist_spelling("!!!"), "!!!"); // nothing to fold: as is
  CAF_CHECK_NOT_EQUAL(artist_spelling("The Broken Foxes"),
                      artist_spelling("Broken Foxes"));
  CAF_CHECK(is_various_artists("Various Artists"));
  CAF_CHECK(is_various_artists("V.A."));
  CAF_CHECK(is_various_artists("VARIOUS"));
  CAF_CHECK(!is_various_artists("Various Cruelties"));
}

CAF_TEST(featured artists are split off) {
  auto c = split_featured("Daft Punk feat. Pharrell Williams");
  CAF_CHECK_EQUAL(c.main, "Daft Punk");
  CAF_REQUIRE_EQUAL(c.featured.size(), 1u);
  CAF_CHECK_EQUAL(c.featured[0], "Pharrell Williams");
  c = split_featured("Daft Punk ft. Pharrell Williams & Nile Rodgers");
  CAF_CHECK_EQUAL(c.main, "Daft Punk");
  CAF_CHECK_EQUAL(c.featured.size(), 2u);
  c = split_featured("Daft Punk FEATURING Pharrell Williams");
  CAF_CHECK_EQUAL(c.main, "Daft Punk");
  c = split_featured("Santana (feat. Rob Thomas)");
  CAF_CHECK_EQUAL(c.main, "Santana");
  CAF_REQUIRE_EQUAL(c.featured.size(), 1u);
  CAF_CHECK_EQUAL(c.featured[0], "Rob Thomas");
  c = split_featured("Simon & Garfunkel");
  CAF_CHECK_EQUAL(c.main, "Simon & Garfunkel");
  CAF_CHECK(c.featured.empty());
  c = split_featured("Left Feet"); // "feet" is not "feat"
  CAF_CHECK_EQUAL(c.main, "Left Feet");
}

CAF_TEST(invalid utf8 is repaired and long values cut) {
  CAF_CHECK_EQUAL(repair_utf8("Caf\xe9"), "Café");
  CAF_CHECK_EQUAL(repair_utf8("ok \xc3\xa9"), "ok é");
  CAF_CHECK_EQUAL(repair_utf8("a\x01"
                              "b"),
                  "ab");
  std::string longer(3000, 'x');
  CAF_CHECK_EQUAL(repair_utf8(longer, 1024).size(), 1024u);
  // never cut inside a code point
  std::string accents;
  for (int i = 0; i < 600; ++i)
    accents += "é";
  auto cut = repair_utf8(accents, 1023);
  CAF_CHECK_EQUAL(cut.size(), 1022u);
}
