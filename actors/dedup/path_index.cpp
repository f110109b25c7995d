#include "actors/dedup/path_index.hpp"

#include <cstring>
#include <stdexcept>

namespace discotheque::dedup {

uint64_t path_index::murmur(std::string_view s, uint64_t seed) {
  constexpr uint64_t m = 0xc6a4a7935bd1e995ull;
  constexpr int r = 47;
  uint64_t h = seed ^ (s.size() * m);
  const char* p = s.data();
  size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t k;
    std::memcpy(&k, p, 8);
    k *= m;
    k ^= k >> r;
    k *= m;
    h ^= k;
    h *= m;
  }
  if (n > 0) {
    uint64_t k = 0;
    for (size_t i = 0; i < n; ++i)
      k |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    h ^= k;
    h *= m;
  }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

int64_t path_index::find(std::string_view path) const {
  if (!overflow_.empty())
    if (auto it = overflow_.find(std::string{path}); it != overflow_.end())
      return it->second;
  auto it = by_hash_.find(key(path));
  if (it == by_hash_.end() || it->second.check != check(path))
    return 0;
  return it->second.id;
}

const int64_t& path_index::at(std::string_view path) const {
  if (!overflow_.empty())
    if (auto it = overflow_.find(std::string{path}); it != overflow_.end())
      return it->second;
  auto it = by_hash_.find(key(path));
  if (it == by_hash_.end() || it->second.check != check(path))
    throw std::out_of_range("path_index: no track for this path");
  return it->second.id;
}

void path_index::set(std::string_view path, int64_t id) {
  if (!overflow_.empty())
    if (auto it = overflow_.find(std::string{path}); it != overflow_.end()) {
      it->second = id;
      return;
    }
  auto c = check(path);
  auto [it, added] = by_hash_.try_emplace(key(path), entry{id, c});
  if (added || it->second.check == c)
    it->second.id = id; // new, or the same path again
  else
    overflow_[std::string{path}] = id; // another path has its first hash
}

int64_t path_index::erase(std::string_view path) {
  if (!overflow_.empty())
    if (auto it = overflow_.find(std::string{path}); it != overflow_.end()) {
      auto id = it->second;
      overflow_.erase(it);
      return id;
    }
  auto it = by_hash_.find(key(path));
  if (it == by_hash_.end() || it->second.check != check(path))
    return 0;
  auto id = it->second.id;
  by_hash_.erase(it);
  return id;
}

void path_index::clear() {
  by_hash_.clear();
  overflow_.clear();
}

} // namespace discotheque::dedup
