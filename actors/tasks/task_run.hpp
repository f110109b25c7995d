// The run bookkeeping every task actor needs, once: one run at a time (a
// second is refused), the response promise, the run's counters and error
// list, progress JSON while it runs, and finishing into a task_result. The
// task actors keep only what is their own (what they count, their stats).
#pragma once

#include "messages/tasks.hpp"

#include <caf/error.hpp>
#include <caf/typed_response_promise.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace discotheque {

class task_run {
public:
  /// At most this many errors are listed in a run's stats.
  static constexpr size_t max_listed_errors = 100;

  /// `task`: the name used when a request does not carry one.
  explicit task_run(std::string task = {});

  /// Starts a run of `req` for the actor `self`; false while one runs
  /// (answer `refusal()` then). Counters and errors start empty.
  template <class Self>
  bool begin(Self* self, const task_request& req) {
    if (running_)
      return false;
    start(req);
    promise_ = self->template make_response_promise<task_result>();
    return true;
  }

  /// The already_running error for a second run.
  caf::error refusal() const;

  bool running() const {
    return running_;
  }

  /// Whether a run was ever started (its counters are the last run's).
  bool ever_started() const {
    return started_at_ != 0;
  }

  const task_request& request() const {
    return request_;
  }

  /// The task's name for this run.
  const std::string& task() const;

  int64_t started_at() const {
    return started_at_;
  }

  /// The promise to answer (also what the run handler returns).
  caf::typed_response_promise<task_result>& promise() {
    return promise_;
  }

  /// The run's counters by name (pages, tracks ...).
  int64_t& count(const std::string& key) {
    return counts_[key];
  }

  const std::map<std::string, int64_t>& counts() const {
    return counts_;
  }

  /// Lists `what` unless max_listed_errors are listed; false then.
  bool note_error(std::string what);

  const std::vector<std::string>& errors() const {
    return errors_;
  }

  /// The counters as a JSON object, and the error list as "errors".
  nlohmann::json stats() const;

  /// "{}" when idle, else the counters (and "errors": how many, if asked).
  std::string progress_json(bool with_error_count) const;

  /// A result for this run: task, start and end time, `status`.
  task_result result(run_status status) const;

  /// The run is over (running() is false from here on); not answered yet.
  void end();

  /// Ends the run and answers `r`.
  void finish(task_result r);

  /// Ends the run and answers with `err` (the supervisor records a failure).
  void finish(caf::error err);

  /// Stats text as stored: invalid UTF-8 replaced.
  static std::string dump(const nlohmann::json& stats);

private:
  void start(const task_request& req);

  std::string default_task_;
  bool running_ = false;
  task_request request_;
  int64_t started_at_ = 0;
  caf::typed_response_promise<task_result> promise_;
  std::map<std::string, int64_t> counts_;
  std::vector<std::string> errors_;
};

} // namespace discotheque
