// The contract between the API actor and the read-side endpoints in
// http/api/*.cpp (one file per resource). The API actor authenticates the
// request and hands it to the reader, which matches it against the read
// side's route table and runs the handler on its read-only database
// connection (a detached actor, so SQLite never blocks a scheduler or io
// thread).
#pragma once

#include "http/api/router.hpp"
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

/// A read-side endpoint: runs on the reader's read-only connection.
using reader_handler = std::function<api_outcome(
  const request& req, const path_params& params, storage::database& ro)>;

/// The read side's route table (every route the reader answers).
using reader_router = router<reader_handler>;

/// Helpers every module uses.
response json_ok(const nlohmann::json& body, int status = 200);
response json_error(int status, const std::string& code,
                    const std::string& message);

} // namespace discotheque::http
