#define CAF_SUITE actors.dedup.spelling
#include "fixture.hpp"

#include "actors/dedup/spelling.hpp"

#include <algorithm>
#include <vector>

using namespace discotheque::dedup;

CAF_TEST(mixed case wins over all caps and all lower case) {
  CAF_CHECK(better_spelling("The Beatles", "THE BEATLES"));
  CAF_CHECK(better_spelling("The Beatles", "the beatles"));
  CAF_CHECK(!better_spelling("THE BEATLES", "The Beatles"));
}

CAF_TEST(accents win over none and longer over shorter) {
  CAF_CHECK(better_spelling("Björk", "Bjork"));
  CAF_CHECK(better_spelling("Sigur Rós", "Sigur Ros"));
  CAF_CHECK(better_spelling("The Beatles", "Beatles"));
  // accented capitals and small letters count as case (Latin-1 range)
  CAF_CHECK(better_spelling("Émile", "ÉMILE"));
}

CAF_TEST(an inverted article loses) {
  CAF_CHECK(better_spelling("Beatles", "Beatles, The"));
  CAF_CHECK(better_spelling("the beatles", "Beatles, The"));
}

CAF_TEST(the order is total so arrival order does not matter) {
  std::vector<std::string> names{"The Beatles",  "THE BEATLES", "beatles",
                                 "Beatles, The", "Beatles",     "The Beatles"};
  auto best = [](std::vector<std::string> in) {
    std::string shown = in.front();
    for (auto& n : in)
      if (better_spelling(n, shown))
        shown = n;
    return shown;
  };
  auto first = best(names);
  std::sort(names.begin(), names.end());
  do {
    CAF_CHECK_EQUAL(best(names), first);
  } while (std::next_permutation(names.begin(), names.end()));
  CAF_CHECK_EQUAL(first, "The Beatles");
  // equal ranks fall back to byte order; nothing beats itself
  CAF_CHECK(better_spelling("Abc", "Abd"));
  CAF_CHECK(!better_spelling("Abd", "Abc"));
  CAF_CHECK(!better_spelling("Abc", "Abc"));
}

CAF_TEST(tidy collapses runs of spaces) {
  CAF_CHECK_EQUAL(tidy("Abbey  Road"), "Abbey Road");
  CAF_CHECK_EQUAL(tidy(" Abbey   Road"), "Abbey Road");
  CAF_CHECK_EQUAL(tidy("Björk"), "Björk");
}
