// A text key -> ascending row ids map that keeps no key text: each entry is
// two independent 64-bit hashes of its key and one id, 24 bytes in one flat
// open-addressing table (linear probing), instead of a heap node, a key
// string and a vector per key. At 200,000 files the dedup store's track
// indexes (MBID, ISRC, artist|album|title) took about 25 MB each as
// std::unordered_map<std::string, std::vector<int64_t>>; this takes 6 to 12.
//
// As in path_index, a lookup answers an entry only when both hashes agree,
// so two keys are only ever taken for one when both 64-bit hashes collide at
// once (about n^2 / 2^129 for n keys). Entries are never removed (these
// indexes only grow during a run; a warm-up starts from clear()).
#pragma once

#include "actors/dedup/path_index.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace discotheque::dedup {

/// A text (an MBID) by its two 64-bit hashes, as key_index keeps its keys;
/// all zero: none.
struct key128 {
  uint64_t a = 0, b = 0;

  /// The hashes of `s`; none when `s` is empty.
  static key128 of(std::string_view s);
  bool empty() const {
    return a == 0 && b == 0;
  }
  friend bool operator==(const key128&, const key128&) = default;
};

class key_index {
public:
  using hash_fn = path_index::hash_fn;

  explicit key_index(hash_fn hash = &path_index::murmur) : hash_(hash) {
  }

  /// Files `id` (> 0) under `key` once; false if it was there already.
  bool insert(std::string_view key, int64_t id);
  /// The ids filed under `key`, ascending; empty when none.
  std::vector<int64_t> find(std::string_view key) const;
  /// Whether any id is filed under `key`.
  bool contains(std::string_view key) const;
  /// How many ids are filed under `key`.
  size_t count(std::string_view key) const {
    return find(key).size();
  }

  void clear();
  /// Entries (key, id pairs).
  size_t size() const {
    return used_;
  }
  bool empty() const {
    return used_ == 0;
  }
  /// Bytes the table holds (for the README's memory figures and tests).
  size_t bytes() const {
    return slots_.capacity() * sizeof(slot);
  }

private:
  struct slot {
    uint64_t key = 0;
    uint64_t check = 0;
    int64_t id = 0; ///< 0: an empty slot
  };
  uint64_t key_of(std::string_view k) const {
    return hash_(k, 0x9e3779b97f4a7c15ull);
  }
  uint64_t check_of(std::string_view k) const {
    return hash_(k, 0xc2b2ae3d27d4eb4full);
  }
  /// Visits the entries of (key, check) until `f` returns false.
  template <class F>
  void each(uint64_t key, uint64_t check, F&& f) const;
  void place(const slot& s);
  void grow();

  hash_fn hash_;
  std::vector<slot> slots_; ///< a power of two long, or empty
  size_t used_ = 0;
};

} // namespace discotheque::dedup
