// The actor side of the inspect protocol (messages/inspect.hpp) and the
// directory of named live actors that GET /api/system/actors lists.
//
// An inspectable actor answers `(inspect)` with `summarize(self, kind,
// summary, details)` built from its state: the per-actor change is one
// handler. Where it is spawned, `counting(fun)` wraps its behaviour so that
// the messages it handles are counted and the atom of the last one is kept.
#pragma once

#include "messages/inspect.hpp"

#include <caf/actor_addr.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/behavior.hpp>
#include <caf/scheduled_actor.hpp>
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace discotheque::inspection {

/// What the wrapper of counted() counts; written and read only by the
/// actor itself (its behaviour and its inspect handler).
struct counters {
  int64_t started_at = 0;
  uint64_t handled = 0;
  std::string last_message;
};

/// `b` with every handled message counted into `c`.
caf::behavior count_messages(caf::behavior b, std::shared_ptr<counters> c);

/// Registers counters for the actor `id` (found again by summarize()).
std::shared_ptr<counters> counters_for(caf::actor_id id);

/// The counters of actor `id`, or null when it never called counted().
std::shared_ptr<counters> counters_of(caf::actor_id id);

/// `fun` (an actor's behaviour function) with the behaviour it makes
/// counting what it handles, for summarize(). At the spawn site:
/// `sys.spawn(inspection::counting(store), cfg)`.
template <class Self, class Behavior, class... Args>
auto counting(Behavior (*fun)(Self, Args...)) {
  return [fun](Self self, Args... xs) -> Behavior {
    auto b = fun(self, std::move(xs)...);
    auto& unboxed = b.unbox();
    unboxed = count_messages(std::move(unboxed), counters_for(self->id()));
    return b;
  };
}

/// The actor's answer to `(inspect)`: its name, id, mailbox size and
/// counters, with `summary` and `details` (a JSON object) from its state.
actor_summary summarize(caf::scheduled_actor* self, std::string kind,
                        std::string summary, const nlohmann::json& details);

/// The named long-lived actors of one service, for the API to list. Filled
/// where the actors are spawned (app/service.cpp; a respawn registers the
/// new actor under the same name). Holds weak references: an actor that is
/// gone is left out of list() and find(). Thread-safe.
class directory {
public:
  struct entry {
    std::string name;
    std::string kind;
    caf::strong_actor_ptr handle;
  };

  /// Adds `hdl` as `name` (replacing what had that name). Null: ignored.
  void add(const std::string& name, const std::string& kind,
           const caf::strong_actor_ptr& hdl);

  /// Every live entry, in the order they were first added.
  std::vector<entry> list() const;

  /// The live entry `name`, or none.
  std::optional<entry> find(const std::string& name) const;

private:
  struct slot {
    std::string name;
    std::string kind;
    caf::actor_addr addr;
  };
  mutable std::mutex mtx_;
  std::vector<slot> slots_;
};

} // namespace discotheque::inspection
