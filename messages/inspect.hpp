// The shared inspect protocol: every long-lived actor answers
// `(inspect) -> actor_summary` (messages/interfaces.hpp: its interface
// `extend_with<inspectable_actor>`), so the API's /api/system/actors and the
// actor inspection console can show what each actor is doing.
#pragma once

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>

namespace discotheque {

/// What an actor tells about itself.
struct actor_summary {
  /// The actor's own name (its state's `name`: "store", "gateway" ...).
  std::string name;
  /// What kind of actor it is ("store", "gateway", "task" ...).
  std::string kind;
  /// CAF's actor id.
  uint64_t id = 0;
  /// When its behaviour was made (epoch ms).
  int64_t started_at = 0;
  /// Messages waiting in its mailbox when it answered.
  uint64_t mailbox = 0;
  /// Messages its behaviour handled (this inspect request not counted).
  uint64_t handled = 0;
  /// The first element (the atom) of the last message it handled before
  /// this one; empty when none.
  std::string last_message;
  /// One line about its state.
  std::string summary;
  /// Its state in full: a JSON object as text ("{}" when there is nothing).
  std::string details = "{}";
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, actor_summary& x) {
  return f(caf::meta::type_name("actor_summary"), x.name, x.kind, x.id,
           x.started_at, x.mailbox, x.handled, x.last_message, x.summary,
           x.details);
}

} // namespace discotheque
