// A real store and a supervisor over a few hand-made tasks, for the suites
// of the supervisor's own files (settings, status). The scheduling suite
// (supervisor.cpp) has its own, richer fixture.
#pragma once

#include "fixture.hpp"

#include "actors/store.hpp"
#include "actors/supervisor/supervisor.hpp"
#include "messages/error.hpp"

#include <caf/event_based_actor.hpp>

#include <memory>
#include <string>
#include <variant>

namespace discotheque::test {

/// A task that succeeds at once.
inline caf::behavior instant_task(caf::event_based_actor*, int) {
  return {
    [](atom::run, const task_request& req) {
      task_result r;
      r.task = req.task;
      r.status = run_status::succeeded;
      return r;
    },
    [](atom::progress) { return std::string{"{}"}; },
  };
}

struct supervisor_fixture : fixture_base {
  temp_dir dir;
  store_actor st;
  supervisor_actor sup;

  supervisor_fixture() {
    store_config scfg;
    scfg.db_path = dir / "library.db";
    st = sys.spawn(store, scfg);
    sched.run();
  }

  ~supervisor_fixture() {
    if (sup)
      anon_send_exit(sup, caf::exit_reason::user_shutdown);
    anon_send_exit(st, caf::exit_reason::user_shutdown);
    sched.run();
  }

  /// "a" (built, on by default, hourly), "b" (built, off by default, every
  /// 2 h) and "c" (not built).
  static std::vector<task_def> three_tasks() {
    auto built = [](caf::actor_system& s) {
      return caf::actor_cast<task_actor>(s.spawn(instant_task, 0));
    };
    task_def a{"a",  "system",
               {},   std::chrono::hours(1),
               true, std::chrono::hours(1),
               built};
    task_def b{"b",   "system",
               {},    std::chrono::hours(2),
               false, std::chrono::hours(1),
               built};
    task_def c{"c",  "system",
               {},   std::chrono::hours(3),
               true, std::chrono::hours(1),
               {}};
    return {a, b, c};
  }

  void start() {
    auto reg = task_registry::make(three_tasks());
    CAF_REQUIRE(reg);
    supervisor_config cfg;
    cfg.registry = std::move(*reg);
    cfg.store = st;
    cfg.start_timer = false;
    sup = sys.spawn(supervisor, std::move(cfg));
    sched.run();
  }

  /// Asks the supervisor; the answer, or the error's user message.
  template <class R, class... Ts>
  std::variant<R, std::string> ask(Ts... xs) {
    auto out = std::make_shared<std::variant<R, std::string>>("<no answer>");
    sys.spawn([=, s = sup](caf::event_based_actor* self) {
      self->request(s, caf::infinite, xs...)
        .then([=](const R& x) { *out = x; },
              [=](const caf::error& err) { *out = user_message(err); });
    });
    sched.run();
    return *out;
  }

  task_status task(const std::string& name) {
    auto r = ask<task_status>(atom::status_v, name);
    CAF_REQUIRE(std::holds_alternative<task_status>(r));
    return std::get<task_status>(r);
  }
};

} // namespace discotheque::test
