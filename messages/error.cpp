#include "messages/error.hpp"

#include <caf/message.hpp>
#include <caf/sec.hpp>

namespace discotheque {

const char* to_string(ec x) {
  switch (x) {
    case ec::none:
      return "none";
    case ec::database_error:
      return "database_error";
    case ec::constraint_violation:
      return "constraint_violation";
    case ec::invalid_config:
      return "invalid_config";
    case ec::unknown_task:
      return "unknown_task";
    case ec::already_running:
      return "already_running";
    case ec::provider_unavailable:
      return "provider_unavailable";
    case ec::bad_response:
      return "bad_response";
    case ec::timeout:
      return "timeout";
    case ec::task_crashed:
      return "task_crashed";
    case ec::not_implemented:
      return "not_implemented";
  }
  return "unknown";
}

caf::error make_error(ec code, std::string context) {
  return caf::error{static_cast<uint8_t>(code), error_category(),
                    caf::make_message(std::move(context))};
}

std::string render(const caf::error& err) {
  if (!err)
    return "none";
  if (err.category() == error_category()) {
    std::string result = to_string(static_cast<ec>(err.code()));
    const auto& ctx = err.context();
    if (ctx.match_elements<std::string>()) {
      result += ": ";
      result += ctx.get_as<std::string>(0);
    }
    return result;
  }
  if (err.category() == caf::atom("system"))
    return caf::to_string(static_cast<caf::sec>(err.code()));
  return caf::to_string(err);
}

std::string user_message(const caf::error& err) {
  if (!err)
    return "no error";
  if (err.category() == error_category()) {
    const auto& ctx = err.context();
    if (ctx.match_elements<std::string>())
      return ctx.get_as<std::string>(0);
    return to_string(static_cast<ec>(err.code()));
  }
  if (err.category() == caf::atom("system")) {
    switch (static_cast<caf::sec>(err.code())) {
      case caf::sec::request_timeout:
        return "the service did not answer in time";
      case caf::sec::request_receiver_down:
        return "a part of the service stopped before it answered (is it "
               "shutting down?)";
      default:
        return "internal error in the service";
    }
  }
  return "internal error";
}

} // namespace discotheque
