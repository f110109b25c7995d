// The contract between the API actor and the read-side endpoint modules in
// http/api/*.cpp. The API actor authenticates the request, then offers it to
// each module in turn on a read-only database connection (in a detached
// reader, so SQLite never blocks a scheduler or io thread).
#pragma once

#include "http/exchange.hpp"
#include "messages/types.hpp"
#include "storage/database.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>

namespace discotheque::http {

/// What an endpoint module answers.
struct api_outcome {
  /// The response to send (after `write` committed, if there is one).
  response res;
  /// A write to run through the store actor first (e.g. PUT of a setting).
  /// If the write fails the client gets an error instead of `res`.
  std::optional<write_request> write;
};

/// Answers the requests whose path it owns; std::nullopt for all others.
using endpoint_module = std::function<std::optional<api_outcome>(
  const request& req, storage::database& ro)>;

/// Helpers every module uses.
response json_ok(const nlohmann::json& body, int status = 200);
response json_error(int status, const std::string& code,
                    const std::string& message);

} // namespace discotheque::http
