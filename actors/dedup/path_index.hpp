// The dedup store's local path -> track map, keyed by a hash of the path
// instead of the path itself: at 200,000 files the full path strings took
// 64 MB of the index, the hashed entries about a sixth of that.
//
// A collision is handled, not hoped away. Each entry keeps a second,
// independent 64-bit hash of its path (its check). A lookup answers an entry
// only when both hashes agree; a path whose first hash another path already
// has (its check differs) is kept by its full string in a small overflow map
// instead. So two paths are only ever taken for the same file when both
// 64-bit hashes collide at once, about n^2 / 2^129 for n paths (2^-95 at
// 200,000): the cost of that is a rescan updating the wrong row, never a
// crash or a lost row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace discotheque::dedup {

class path_index {
public:
  /// A seeded 64-bit hash of a path; tests inject a weak one to force
  /// collisions.
  using hash_fn = uint64_t (*)(std::string_view, uint64_t seed);

  /// MurmurHash64A of `s` with `seed`.
  static uint64_t murmur(std::string_view s, uint64_t seed);

  explicit path_index(hash_fn hash = &murmur) : hash_(hash) {
  }

  /// The track of `path`, 0 when none.
  int64_t find(std::string_view path) const;
  /// The track of `path`; throws std::out_of_range when none.
  const int64_t& at(std::string_view path) const;
  /// Files `path` under track `id` (replacing what it had).
  void set(std::string_view path, int64_t id);
  /// Forgets `path`; returns the track it had, 0 when none.
  int64_t erase(std::string_view path);

  void clear();
  size_t size() const {
    return by_hash_.size() + overflow_.size();
  }
  bool empty() const {
    return size() == 0;
  }
  /// How many paths live in the overflow map (collisions of the first hash).
  size_t collisions() const {
    return overflow_.size();
  }

private:
  struct entry {
    int64_t id = 0;
    uint64_t check = 0; ///< the second hash of the entry's path
  };
  uint64_t key(std::string_view path) const {
    return hash_(path, 0x9e3779b97f4a7c15ull);
  }
  uint64_t check(std::string_view path) const {
    return hash_(path, 0xc2b2ae3d27d4eb4full);
  }

  hash_fn hash_;
  std::unordered_map<uint64_t, entry> by_hash_;
  std::unordered_map<std::string, int64_t> overflow_;
};

} // namespace discotheque::dedup
