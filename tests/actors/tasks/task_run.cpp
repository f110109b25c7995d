#define CAF_SUITE actors.tasks.task_run
#include "fixture.hpp"

#include "actors/tasks/task_run.hpp"
#include "messages/error.hpp"
#include "messages/interfaces.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

using namespace discotheque;

namespace {

struct counting_state {
  static inline const char* name = "counting_task";
  task_run run{"counting_task"};
};

/// A task that counts and lists errors; with trigger "finish" it finishes
/// at once, otherwise it keeps running.
task_actor::behavior_type
counting_task(task_actor::stateful_pointer<counting_state> self) {
  return {
    [self](atom::run, const task_request& req) -> caf::result<task_result> {
      auto& run = self->state.run;
      if (!run.begin(self, req))
        return run.refusal();
      run.count("pages") += 2;
      for (int i = 0; i < 101; ++i)
        if (!run.note_error("page " + std::to_string(i) + " failed"))
          ++run.count("errors_not_listed");
      auto promise = run.promise();
      if (req.trigger == "finish") {
        auto r = run.result(run_status::succeeded);
        r.stats_json = task_run::dump(run.stats());
        run.finish(std::move(r));
      }
      return promise;
    },
    [self](atom::progress) { return self->state.run.progress_json(true); },
  };
}

struct fixture : test::fixture_base {
  task_actor task;
  std::shared_ptr<std::vector<std::string>> answers
    = std::make_shared<std::vector<std::string>>();

  fixture() {
    task = sys.spawn(counting_task);
    sched.run();
  }

  ~fixture() {
    // A run left open keeps its requester waiting: end both.
    anon_send_exit(task, caf::exit_reason::user_shutdown);
    sched.run();
  }

  void ask_run(int64_t run_id, std::string trigger) {
    sys.spawn([=, t = task, out = answers](caf::event_based_actor* self) {
      self
        ->request(t, caf::infinite, atom::run_v,
                  task_request{"", trigger, run_id})
        .then(
          [=](const task_result& r) {
            out->push_back(to_string(r.status) + " " + r.task + " "
                           + r.stats_json);
          },
          [=](const caf::error& err) { out->push_back(render(err)); });
    });
    sched.run();
  }

  std::string progress() {
    auto out = std::make_shared<std::string>();
    sys.spawn([=, t = task](caf::event_based_actor* self) {
      self->request(t, caf::infinite, atom::progress_v)
        .then([=](const std::string& p) { *out = p; });
    });
    sched.run();
    return *out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(task_run_tests, fixture)

CAF_TEST(one run at a time with counters errors and a result) {
  CAF_CHECK_EQUAL(progress(), "{}");
  ask_run(1, "hold");
  ask_run(2, "hold");
  CAF_REQUIRE_EQUAL(answers->size(), 1u);
  CAF_CHECK_EQUAL((*answers)[0], "already_running: counting_task");
  CAF_CHECK_EQUAL(progress(),
                  R"({"errors":100,"errors_not_listed":1,"pages":2})");
}

CAF_TEST(a finished run answers its result and the next one may start) {
  ask_run(1, "finish");
  CAF_REQUIRE_EQUAL(answers->size(), 1u);
  CAF_CHECK_EQUAL((*answers)[0].substr(0, 24), "succeeded counting_task ");
  CAF_CHECK_EQUAL(progress(), "{}");
  ask_run(2, "finish");
  CAF_CHECK_EQUAL(answers->size(), 2u);
}

CAF_TEST(the helper fills a result and stats) {
  task_run run{"scan"};
  CAF_CHECK(!run.running());
  CAF_CHECK(!run.ever_started());
  CAF_CHECK_EQUAL(run.task(), "scan");
  run.count("files") = 3;
  run.note_error("bad \xff byte");
  auto r = run.result(run_status::failed);
  CAF_CHECK_EQUAL(r.task, "scan");
  CAF_CHECK_EQUAL(to_string(r.status), "failed");
  CAF_CHECK_EQUAL(task_run::dump(run.stats()),
                  "{\"errors\":[\"bad \xef\xbf\xbd byte\"],\"files\":3}");
}

CAF_TEST_FIXTURE_SCOPE_END()
