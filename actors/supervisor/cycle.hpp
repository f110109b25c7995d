// The cycle planner: the rules of SPEC §2 as plain functions over what the
// supervisor knows of each task, with `now` passed in. No actors, no clock,
// no database: the supervisor (supervisor.hpp) is a thin actor around these.
#pragma once

#include "actors/registry.hpp"
#include "messages/tasks.hpp"
#include "storage/queries/task_runs.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace discotheque {

/// What is remembered of a task across runs (and restarts, via task_runs).
struct task_history {
  int64_t last_run_at = 0; ///< start of the last run (epoch ms), 0 = never
  int64_t last_completed_at = 0; ///< start of the last run that counts as done
  int64_t last_success_at = 0;
  /// Of the last run; meaningful only when last_run_at != 0.
  run_status last_status = run_status::failed;
  skip_reason last_reason = skip_reason::none; ///< also of cycle-level skips
  std::string last_error; ///< of the most recent failed run
  std::string last_stats = "{}";
  int64_t last_duration_ms = 0;
  /// Failed runs since the last one that did not fail (for the backoff).
  int consecutive_failures = 0;

  /// Records a finished run that started at `started_at`.
  void record(const task_result& r, int64_t started_at, int64_t duration_ms);
};

/// One task as the planner sees it.
struct planned_task {
  std::string name;
  std::vector<std::string> depends_on;
  bool enabled = true;
  bool implemented = true;
  int64_t interval_ms = 3600 * 1000;
  task_history hist;
};

namespace cycle {

/// The histories that the stored runs (oldest first) leave behind.
std::map<std::string, task_history>
histories(const std::vector<storage::task_run_row>& rows);

/// The planner's view of `def`, with its stored history and settings.
planned_task plan_of(const task_def& def, const task_history* hist,
                     const storage::task_settings* settings);

/// Completes what a task actor answered for its run that started at
/// `started_at`: name, missing times, an error for a silent failure, and
/// stats that are always a JSON object (other text is kept under "raw").
void settle(task_result& r, const std::string& task, int64_t started_at,
            int64_t now);

/// The report of a set of runs with these results (by task name).
cycle_report report_of(int64_t id, const std::string& trigger,
                       int64_t started_at, int64_t finished_at,
                       const std::map<std::string, task_result>& results);

/// How long after its last run a task is due again: its interval, or after
/// 1, 2, 3+ consecutive failures 5 min, 15 min, 1 h (each at most the
/// interval).
int64_t retry_delay_ms(const planned_task& t);

/// Whether the task is due at `now` (SPEC §2): it never ran, or its retry
/// delay has passed since its last run. A task that is not built is never
/// due. (Enabled or not: the caller skips disabled tasks with their reason.)
bool is_due(const planned_task& t, int64_t now);

/// When the task is due next (0 = at once), for the API's next_run; -1 when
/// it will never be due (not implemented).
int64_t due_at(const planned_task& t);

/// The tasks (same order as `tasks`, which is topological) that a scheduled
/// cycle at `now` runs: the enabled due ones. Dependencies are not pulled
/// in: one that is not due counts by its last result (satisfies).
std::vector<bool> wanted(const std::vector<planned_task>& tasks, int64_t now);

/// Whether a dependency that ended this cycle's set with `r` lets its
/// dependents run: it succeeded or was provider_unavailable in this cycle,
/// or it was not due and its last run was one of those (still fresh). A
/// dependency in its failure backoff, disabled or not built does not.
bool satisfies(const planned_task& dep, const task_result& r);

/// A dependency of a pending task, as far as the current set knows it.
struct dependency {
  bool settled = true;   ///< done in this set, or not part of it
  bool satisfied = true; ///< if settled
};

enum class step { wait, start, skip };

struct decision {
  step what = step::wait;
  skip_reason reason = skip_reason::none;
};

/// What to do with a pending task of a set: wait for a dependency, start
/// it, or skip it and why. `scheduled`: a cycle (enabled/due rules apply);
/// otherwise `discotheque run` (only the dependencies within the set count).
decision decide(const planned_task& t, bool scheduled, bool wanted,
                const std::vector<dependency>& deps);

} // namespace cycle

} // namespace discotheque
