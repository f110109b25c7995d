#include "support/log.hpp"

#include "support/redact.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <mutex>

namespace discotheque::log {

namespace {

std::mutex mtx;
spdlog::sink_ptr shared_sink;
spdlog::level::level_enum current_level = spdlog::level::info;

/// The last line of defence for secrets: every formatted line goes through
/// redact(), so a URL or body logged anywhere loses its credentials even if
/// its caller forgot to redact it.
class redacting_formatter final : public spdlog::formatter {
public:
  explicit redacting_formatter(std::unique_ptr<spdlog::formatter> inner)
    : inner_(std::move(inner)) {
  }

  void format(const spdlog::details::log_msg& msg,
              spdlog::memory_buf_t& dest) override {
    spdlog::memory_buf_t line;
    inner_->format(msg, line);
    auto clean = redact(std::string_view{line.data(), line.size()});
    dest.append(clean.data(), clean.data() + clean.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<redacting_formatter>(inner_->clone());
  }

private:
  std::unique_ptr<spdlog::formatter> inner_;
};

/// `%*`: the level as the configuration spells it (spdlog's own `%l` says
/// "warning"), padded to 5 characters.
class level_word_flag final : public spdlog::custom_flag_formatter {
public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view word = level_name(msg.level);
    dest.append(word.data(), word.data() + word.size());
    for (auto n = word.size(); n < 5; ++n)
      dest.push_back(' ');
  }

  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<level_word_flag>();
  }
};

spdlog::sink_ptr sink() {
  if (!shared_sink) {
    shared_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    shared_sink->set_formatter(make_formatter());
  }
  return shared_sink;
}

} // namespace

std::string_view level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

std::optional<spdlog::level::level_enum> parse_level(const std::string& word) {
  // The words of level_name(), plus spdlog's spellings ("warning", "err")
  // that the configuration accepted before.
  for (auto l : {spdlog::level::trace, spdlog::level::debug,
                 spdlog::level::info, spdlog::level::warn, spdlog::level::err,
                 spdlog::level::critical, spdlog::level::off})
    if (word == level_name(l))
      return l;
  if (word == "warning")
    return spdlog::level::warn;
  if (word == "err")
    return spdlog::level::err;
  return std::nullopt;
}

std::unique_ptr<spdlog::formatter> make_formatter() {
  auto pattern = std::make_unique<spdlog::pattern_formatter>(
    spdlog::pattern_time_type::utc);
  pattern->add_flag<level_word_flag>('*').set_pattern(
    "%Y-%m-%dT%H:%M:%S.%eZ %* [%n] %v");
  return std::make_unique<redacting_formatter>(std::move(pattern));
}

bool valid_level(const std::string& level) {
  return parse_level(level).has_value();
}

void init(const std::string& level) {
  auto parsed = parse_level(level);
  if (!parsed)
    throw std::invalid_argument("unknown log level '" + level + "'");
  std::lock_guard guard{mtx};
  current_level = *parsed;
  sink();
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) {
    l->set_level(current_level);
  });
}

std::shared_ptr<spdlog::logger> get(const std::string& component) {
  std::lock_guard guard{mtx};
  if (auto existing = spdlog::get(component))
    return existing;
  auto result = std::make_shared<spdlog::logger>(component, sink());
  result->set_level(current_level);
  result->flush_on(spdlog::level::warn);
  spdlog::register_logger(result);
  return result;
}

} // namespace discotheque::log
