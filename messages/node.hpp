// What the node (actors/node.*) tells about the actors it supervises.
#pragma once

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>

namespace discotheque {

/// One supervised actor: is it running, how often was it restarted.
struct node_health {
  std::string name;
  bool running = false;
  int64_t restarts = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_health& x) {
  return f(caf::meta::type_name("node_health"), x.name, x.running, x.restarts);
}

} // namespace discotheque
