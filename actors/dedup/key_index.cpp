#include "actors/dedup/key_index.hpp"

#include <algorithm>
#include <stdexcept>

namespace discotheque::dedup {

key128 key128::of(std::string_view s) {
  if (s.empty())
    return {};
  key128 k{path_index::murmur(s, 0x9e3779b97f4a7c15ull),
           path_index::murmur(s, 0xc2b2ae3d27d4eb4full)};
  if (k.empty())
    k.b = 1; // a text is never none
  return k;
}

template <class F>
void key_index::each(uint64_t key, uint64_t check, F&& f) const {
  if (slots_.empty())
    return;
  auto mask = slots_.size() - 1;
  for (auto i = key & mask;; i = (i + 1) & mask) {
    auto& s = slots_[i];
    if (s.id == 0)
      return;
    if (s.key == key && s.check == check && !f(s.id))
      return;
  }
}

bool key_index::insert(std::string_view key, int64_t id) {
  if (id <= 0)
    throw std::invalid_argument("key_index: ids are positive");
  auto k = key_of(key), c = check_of(key);
  bool found = false;
  each(k, c, [&](int64_t x) { return !(found = x == id); });
  if (found)
    return false;
  // At most 3/4 full: linear probing stays short.
  if ((used_ + 1) * 4 > slots_.size() * 3)
    grow();
  place(slot{k, c, id});
  ++used_;
  return true;
}

void key_index::place(const slot& s) {
  auto mask = slots_.size() - 1;
  auto i = s.key & mask;
  while (slots_[i].id != 0)
    i = (i + 1) & mask;
  slots_[i] = s;
}

void key_index::grow() {
  std::vector<slot> old;
  old.swap(slots_);
  slots_.resize(old.empty() ? 16 : old.size() * 2);
  for (auto& s : old)
    if (s.id != 0)
      place(s);
}

std::vector<int64_t> key_index::find(std::string_view key) const {
  std::vector<int64_t> out;
  each(key_of(key), check_of(key), [&](int64_t id) {
    out.push_back(id);
    return true;
  });
  std::sort(out.begin(), out.end());
  return out;
}

bool key_index::contains(std::string_view key) const {
  bool found = false;
  each(key_of(key), check_of(key), [&](int64_t) { return !(found = true); });
  return found;
}

void key_index::clear() {
  std::vector<slot>{}.swap(slots_);
  used_ = 0;
}

} // namespace discotheque::dedup
