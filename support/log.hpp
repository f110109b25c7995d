// Logging: one spdlog logger per actor or component, all writing to the same
// sinks, so every line names where it comes from: `[store]`, `[supervisor]` ...
// Every line passes through redact() (support/redact.hpp) on its way out.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace discotheque::log {

/// Sets up the shared sink (stderr) and the level for all loggers. Safe to
/// call more than once; the last call wins. Throws on an unknown level name.
void init(const std::string& level);

/// The logger named `component`, created on first use with the shared sink.
std::shared_ptr<spdlog::logger> get(const std::string& component);

/// Whether `level` is a level name spdlog knows (trace ... off).
bool valid_level(const std::string& level);

} // namespace discotheque::log
