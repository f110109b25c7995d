#include "http/api/context.hpp"

#include "http/api/route.hpp"
#include "support/time.hpp"

namespace discotheque::http {

response error_to_response(const caf::error& err) {
  auto msg = user_message(err);
  if (err.category() == error_category()) {
    switch (static_cast<ec>(err.code())) {
      case ec::unknown_task:
        return json_error(404, "unknown_task", msg);
      case ec::already_running:
        return json_error(409, "already_running", msg);
      case ec::not_implemented:
        return json_error(409, "not_implemented", msg);
      case ec::invalid_config:
        return json_error(400, "bad_request", msg);
      default:
        break;
    }
  }
  if (err == caf::sec::request_timeout)
    return json_error(504, "timeout", msg);
  if (err.category() == caf::atom("system"))
    return json_error(503, "service_unavailable", msg);
  return json_error(500, "internal_error", msg);
}

int64_t uptime_s(const api_context& ctx) {
  return (now_ms() - ctx.started_at) / 1000;
}

} // namespace discotheque::http
