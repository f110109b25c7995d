#define CAF_SUITE actors.dedup.path_index
#include "fixture.hpp"

#include "actors/dedup/path_index.hpp"

#include <stdexcept>
#include <string>

using namespace discotheque::dedup;

namespace {

/// A hash whose first-hash values collide on purpose: every path of the same
/// length gets the same key (seed 0x9e37...), while the check (the other
/// seed) still tells paths apart by their content.
uint64_t colliding(std::string_view s, uint64_t seed) {
  if (seed == 0x9e3779b97f4a7c15ull)
    return s.size();
  return path_index::murmur(s, seed);
}

} // namespace

CAF_TEST(paths map to their tracks by hash) {
  path_index idx;
  CAF_CHECK(idx.empty());
  idx.set("/m/a/01.mp3", 1);
  idx.set("/m/a/02.mp3", 2);
  CAF_CHECK_EQUAL(idx.find("/m/a/01.mp3"), 1);
  CAF_CHECK_EQUAL(idx.find("/m/a/02.mp3"), 2);
  CAF_CHECK_EQUAL(idx.find("/m/a/03.mp3"), 0);
  CAF_CHECK_EQUAL(idx.at("/m/a/02.mp3"), 2);
  bool threw = false;
  try {
    static_cast<void>(idx.at("/m/a/03.mp3"));
  } catch (const std::out_of_range&) {
    threw = true;
  }
  CAF_CHECK(threw);
  idx.set("/m/a/01.mp3", 7); // the same path again: replaced
  CAF_CHECK_EQUAL(idx.find("/m/a/01.mp3"), 7);
  CAF_CHECK_EQUAL(idx.size(), 2u);
  CAF_CHECK_EQUAL(idx.collisions(), 0u);
  CAF_CHECK_EQUAL(idx.erase("/m/a/01.mp3"), 7);
  CAF_CHECK_EQUAL(idx.erase("/m/a/01.mp3"), 0);
  CAF_CHECK_EQUAL(idx.find("/m/a/01.mp3"), 0);
  idx.clear();
  CAF_CHECK(idx.empty());
}

CAF_TEST(the two hashes of a path are independent) {
  // The same text under the two seeds, and texts one byte apart.
  std::string a = "/music/Artist/Album (2001)/01 Title.mp3";
  std::string b = a;
  b.back() = '4';
  CAF_CHECK_NOT_EQUAL(path_index::murmur(a, 1), path_index::murmur(a, 2));
  CAF_CHECK_NOT_EQUAL(path_index::murmur(a, 1), path_index::murmur(b, 1));
  CAF_CHECK_EQUAL(path_index::murmur(a, 1), path_index::murmur(a, 1));
}

CAF_TEST(
  a collision of the first hash never answers the track of another path) {
  path_index idx{&colliding};
  // Same length: same key, different paths.
  idx.set("/m/a.mp3", 1);
  CAF_CHECK_EQUAL(idx.find("/m/b.mp3"), 0);  // the key hits, the check refuses
  CAF_CHECK_EQUAL(idx.erase("/m/b.mp3"), 0); // and erases nothing
  CAF_CHECK_EQUAL(idx.find("/m/a.mp3"), 1);
  idx.set("/m/b.mp3", 2); // the colliding path goes to the overflow map
  CAF_CHECK_EQUAL(idx.collisions(), 1u);
  CAF_CHECK_EQUAL(idx.size(), 2u);
  CAF_CHECK_EQUAL(idx.find("/m/a.mp3"), 1);
  CAF_CHECK_EQUAL(idx.find("/m/b.mp3"), 2);
  CAF_CHECK_EQUAL(idx.at("/m/b.mp3"), 2);
  idx.set("/m/b.mp3", 3); // updated where it lives
  CAF_CHECK_EQUAL(idx.find("/m/b.mp3"), 3);
  CAF_CHECK_EQUAL(idx.collisions(), 1u);
  // Erasing the first leaves the second where it is, still found.
  CAF_CHECK_EQUAL(idx.erase("/m/a.mp3"), 1);
  CAF_CHECK_EQUAL(idx.find("/m/a.mp3"), 0);
  CAF_CHECK_EQUAL(idx.find("/m/b.mp3"), 3);
  // A third path takes the freed key; all three stay apart.
  idx.set("/m/c.mp3", 4);
  idx.set("/m/a.mp3", 5);
  CAF_CHECK_EQUAL(idx.find("/m/a.mp3"), 5);
  CAF_CHECK_EQUAL(idx.find("/m/b.mp3"), 3);
  CAF_CHECK_EQUAL(idx.find("/m/c.mp3"), 4);
  CAF_CHECK_EQUAL(idx.erase("/m/b.mp3"), 3);
  CAF_CHECK_EQUAL(idx.find("/m/b.mp3"), 0);
  CAF_CHECK_EQUAL(idx.size(), 2u);
}
