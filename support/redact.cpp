#include "support/redact.hpp"

#include <array>
#include <cctype>

namespace discotheque {

namespace {

constexpr std::array<std::string_view, 9> secret_params{
  "apikey",        "api_key", "access_token", "refresh_token", "client_secret",
  "code_verifier", "code",    "password",     "token",
};

constexpr std::array<std::string_view, 2> secret_headers{"authorization",
                                                         "x-api-key"};

constexpr std::string_view mask = "***";

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

/// Whether `name` (lower case) starts at `pos` as a whole name.
bool name_at(std::string_view text, size_t pos, std::string_view name) {
  if (pos + name.size() > text.size())
    return false;
  if (pos > 0 && name_char(text[pos - 1]))
    return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[pos + i])) != name[i])
      return false;
  auto end = pos + name.size();
  return end == text.size() || !name_char(text[end]);
}

size_t skip_blanks(std::string_view text, size_t pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t'))
    ++pos;
  return pos;
}

/// Where a `name=value` value ends: at the next separator of queries, form
/// bodies, log lines and quoted strings.
size_t form_value_end(std::string_view text, size_t pos) {
  static constexpr std::string_view stop = "&# \t\r\n\"';,)<>";
  while (pos < text.size() && stop.find(text[pos]) == std::string_view::npos)
    ++pos;
  return pos;
}

/// Where a JSON string that starts after its opening quote at `pos` ends
/// (the closing quote, or the end of a cut-off text).
size_t json_string_end(std::string_view text, size_t pos) {
  while (pos < text.size() && text[pos] != '"')
    pos += text[pos] == '\\' ? 2 : 1;
  return std::min(pos, text.size());
}

/// Where a header value ends: at the end of its line, or of the quoted
/// string it sits in (headers inside JSON arrays or error texts).
size_t header_value_end(std::string_view text, size_t pos) {
  while (pos < text.size() && text[pos] != '\r' && text[pos] != '\n'
         && text[pos] != '"')
    ++pos;
  return pos;
}

/// Tries to redact a secret whose name starts at `pos`. On success appends
/// up to and including the mask to `out` and returns where to go on.
size_t try_redact(std::string_view text, size_t pos, std::string& out) {
  for (auto name : secret_headers) {
    if (!name_at(text, pos, name))
      continue;
    auto after = pos + name.size();
    // {"Authorization": "Bearer …"} as well as Authorization: Bearer …
    bool json = pos > 0 && text[pos - 1] == '"' && after < text.size()
                && text[after] == '"';
    auto colon = skip_blanks(text, json ? after + 1 : after);
    if (colon >= text.size() || text[colon] != ':')
      continue;
    auto value = skip_blanks(text, colon + 1);
    if (json) {
      if (value >= text.size() || text[value] != '"')
        continue;
      ++value;
    }
    auto end = json ? json_string_end(text, value)
                    : header_value_end(text, value);
    if (value == end)
      continue;
    // Keep the scheme ("Bearer", "Basic"): it tells what was sent.
    auto word = value;
    while (word < end && std::isalpha(static_cast<unsigned char>(text[word])))
      ++word;
    if (name == "authorization" && word < end && word > value
        && text[word] == ' ')
      value = skip_blanks(text, word);
    if (value == end)
      continue;
    out.append(text.substr(pos, value - pos));
    out.append(mask);
    return end;
  }
  for (auto name : secret_params) {
    if (!name_at(text, pos, name))
      continue;
    auto after = pos + name.size();
    if (after < text.size() && text[after] == '=') {
      auto end = form_value_end(text, after + 1);
      if (end == after + 1)
        continue;
      out.append(text.substr(pos, after + 1 - pos));
      out.append(mask);
      return end;
    }
    // JSON: "name" : "value"
    if (pos == 0 || text[pos - 1] != '"' || after >= text.size()
        || text[after] != '"')
      continue;
    auto colon = skip_blanks(text, after + 1);
    if (colon >= text.size() || text[colon] != ':')
      continue;
    auto quote = skip_blanks(text, colon + 1);
    if (quote >= text.size() || text[quote] != '"')
      continue;
    auto end = json_string_end(text, quote + 1);
    out.append(text.substr(pos, quote + 1 - pos));
    out.append(mask);
    return end;
  }
  return pos;
}

} // namespace

std::string redact(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    if (auto next = try_redact(text, pos, out); next != pos) {
      pos = next;
      continue;
    }
    out += text[pos++];
  }
  return out;
}

} // namespace discotheque
