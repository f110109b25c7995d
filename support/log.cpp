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

spdlog::sink_ptr sink() {
  if (!shared_sink) {
    shared_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    shared_sink->set_formatter(std::make_unique<redacting_formatter>(
      std::make_unique<spdlog::pattern_formatter>(
        "%Y-%m-%dT%H:%M:%S.%eZ %-5l [%n] %v", spdlog::pattern_time_type::utc)));
  }
  return shared_sink;
}

} // namespace

bool valid_level(const std::string& level) {
  if (level == "off")
    return true;
  return spdlog::level::from_str(level) != spdlog::level::off;
}

void init(const std::string& level) {
  if (!valid_level(level))
    throw std::invalid_argument("unknown log level '" + level + "'");
  std::lock_guard guard{mtx};
  current_level = spdlog::level::from_str(level);
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
