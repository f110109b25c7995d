#include "identify/mb_json.hpp"

#include <stdexcept>

namespace discotheque::identify::mb_json {

namespace {

[[noreturn]] void fail(std::string_view context, std::string_view what) {
  std::string msg{context};
  msg += ": ";
  msg += what;
  throw std::invalid_argument(msg);
}

const nlohmann::json* find(const nlohmann::json& obj, std::string_view key) {
  if (!obj.is_object())
    return nullptr;
  auto it = obj.find(std::string{key});
  if (it == obj.end() || it->is_null())
    return nullptr;
  return &*it;
}

} // namespace

void require_object(const nlohmann::json& j, std::string_view context) {
  if (!j.is_object())
    fail(context, "not a JSON object");
}

std::string str(const nlohmann::json& obj, std::string_view key) {
  auto v = find(obj, key);
  if (v == nullptr || !v->is_string())
    return {};
  return v->get<std::string>();
}

std::string required_str(const nlohmann::json& obj, std::string_view key,
                         std::string_view context) {
  auto v = find(obj, key);
  if (v == nullptr || !v->is_string())
    fail(context, "no string \"" + std::string{key} + "\"");
  return v->get<std::string>();
}

std::optional<int64_t> integer(const nlohmann::json& obj,
                               std::string_view key) {
  auto v = find(obj, key);
  if (v == nullptr)
    return std::nullopt;
  if (v->is_number_integer() || v->is_number_unsigned())
    return v->get<int64_t>();
  if (v->is_number_float())
    return static_cast<int64_t>(v->get<double>());
  if (v->is_string()) {
    auto s = v->get<std::string>();
    if (s.empty())
      return std::nullopt;
    size_t used = 0;
    try {
      auto n = std::stoll(s, &used);
      if (used == s.size())
        return n;
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

const nlohmann::json& required_array(const nlohmann::json& obj,
                                     std::string_view key,
                                     std::string_view context) {
  auto v = find(obj, key);
  if (v == nullptr || !v->is_array())
    fail(context, "no array \"" + std::string{key} + "\"");
  return *v;
}

page_position page_of(const nlohmann::json& body, std::string_view entity,
                      size_t items) {
  const std::string prefix{entity};
  auto total = integer(body, prefix + "-count");
  if (!total)
    total = integer(body, "count");
  auto offset = integer(body, prefix + "-offset");
  if (!offset)
    offset = integer(body, "offset");
  page_position pos;
  pos.offset = static_cast<int>(offset.value_or(0));
  pos.total = static_cast<int>(
    total.value_or(pos.offset + static_cast<int64_t>(items)));
  return pos;
}

} // namespace discotheque::identify::mb_json
