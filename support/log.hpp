// Logging: one spdlog logger per actor or component, all writing to the same
// sinks, so every line names where it comes from: `[store]`, `[supervisor]` ...
// Every line passes through redact() (support/redact.hpp) on its way out.
#pragma once

#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace discotheque::log {

/// Sets up the shared sink (stderr) and the level for all loggers. Safe to
/// call more than once; the last call wins. Throws on an unknown level name.
void init(const std::string& level);

/// The logger named `component`, created on first use with the shared sink.
std::shared_ptr<spdlog::logger> get(const std::string& component);

/// Whether `level` is a level word: trace, debug, info, warn, error,
/// critical, off (and the aliases "warning" and "err").
bool valid_level(const std::string& level);

/// The level for `word` (see valid_level), or nullopt.
std::optional<spdlog::level::level_enum> parse_level(const std::string& word);

/// The one word for `level` in log lines, the config and the README:
/// trace, debug, info, warn, error, critical, off.
std::string_view level_name(spdlog::level::level_enum level);

/// The formatter of every log line: UTC time, level word, [component],
/// text, all passed through redact().
std::unique_ptr<spdlog::formatter> make_formatter();

} // namespace discotheque::log
