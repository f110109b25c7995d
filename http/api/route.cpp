#include "http/api/route.hpp"

namespace discotheque::http {

response json_ok(const nlohmann::json& body, int status) {
  response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

response json_error(int status, const std::string& code,
                    const std::string& message) {
  return json_ok(nlohmann::json{{"error", code}, {"message", message}}, status);
}

} // namespace discotheque::http
