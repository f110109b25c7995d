#include "http/exchange.hpp"

#include <atomic>

namespace discotheque::http {

std::string request::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string{} : it->second;
}

// -- responder ---------------------------------------------------------------

struct responder::once {
  std::function<void(response)> fn;
  std::atomic<bool> called{false};
  ~once() {
    if (!called.load() && fn) {
      response r;
      r.status = 503;
      r.body
        = R"({"error":"service_unavailable","message":"the request was dropped"})";
      fn(std::move(r));
    }
  }
};

responder::responder(std::function<void(response)> fn)
  : impl_(std::make_shared<once>()) {
  impl_->fn = std::move(fn);
}

void responder::operator()(response r) const {
  if (impl_ && !impl_->called.exchange(true))
    impl_->fn(std::move(r));
}

} // namespace discotheque::http
