#include "actors/tasks/task_run.hpp"

#include "messages/error.hpp"
#include "support/time.hpp"

namespace discotheque {

task_run::task_run(std::string task) : default_task_(std::move(task)) {
  // nop
}

void task_run::start(const task_request& req) {
  running_ = true;
  request_ = req;
  started_at_ = now_ms();
  counts_.clear();
  errors_.clear();
}

caf::error task_run::refusal() const {
  return make_error(ec::already_running, default_task_);
}

const std::string& task_run::task() const {
  return request_.task.empty() ? default_task_ : request_.task;
}

bool task_run::note_error(std::string what) {
  if (errors_.size() >= max_listed_errors)
    return false;
  errors_.push_back(std::move(what));
  return true;
}

nlohmann::json task_run::stats() const {
  auto j = nlohmann::json::object();
  for (const auto& [k, v] : counts_)
    j[k] = v;
  j["errors"] = errors_;
  return j;
}

std::string task_run::progress_json(bool with_error_count) const {
  if (!running_)
    return "{}";
  auto j = nlohmann::json::object();
  for (const auto& [k, v] : counts_)
    j[k] = v;
  if (with_error_count)
    j["errors"] = static_cast<int64_t>(errors_.size());
  return j.dump();
}

task_result task_run::result(run_status status) const {
  task_result r;
  r.task = task();
  r.status = status;
  r.started_at = started_at_;
  r.finished_at = now_ms();
  return r;
}

void task_run::end() {
  running_ = false;
}

void task_run::finish(task_result r) {
  end();
  // Copied first: delivering may start the next run, which replaces it.
  auto rp = promise_;
  rp.deliver(std::move(r));
}

void task_run::finish(caf::error err) {
  end();
  auto rp = promise_;
  rp.deliver(std::move(err));
}

std::string task_run::dump(const nlohmann::json& stats) {
  return stats.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace discotheque
