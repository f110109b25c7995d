// The supervisor's settings handlers (see internal.hpp): a task's settings
// and the settings API's change are answered only once the store committed
// them, so an acknowledged change survives a crash and a failed write is an
// error, never an answer with the old value coming back later.
#include "actors/supervisor/internal.hpp"

#include "messages/error.hpp"
#include "storage/writes/settings.hpp"

namespace discotheque::supervisor_impl {

namespace {

void apply_patch(supervisor_self self, size_t i,
                 const task_settings_patch& patch) {
  auto& p = self->state.plan[i];
  if (patch.set_enabled)
    p.enabled = patch.enabled;
  if (patch.set_interval)
    p.interval_ms = patch.interval_s * 1000;
}

/// Commits `req` and answers `apply()` after the commit, or the store's
/// error (logged with `what`); nothing is applied when the write fails.
template <class R, class Apply>
caf::result<R> commit_then(supervisor_self self, write_request req, Apply apply,
                           std::string what) {
  if (req.statements.empty())
    return apply();
  auto rp = self->make_response_promise<R>();
  self
    ->request(self->state.cfg.store, std::chrono::seconds(30), atom::write_v,
              std::move(req))
    .then([rp, apply](const write_ack&) mutable { rp.deliver(apply()); },
          [self, rp, what](const caf::error& err) mutable {
            self->state.log->error("cannot store {}: {}", what, render(err));
            rp.deliver(err);
          });
  return rp;
}

} // namespace

caf::result<task_status> on_settings(supervisor_self self,
                                     const std::string& name,
                                     const task_settings_patch& patch) {
  auto i = self->state.index_of(name);
  if (i < 0)
    return unknown_task(name);
  auto apply = [self, i, patch] {
    apply_patch(self, static_cast<size_t>(i), patch);
    changed(self);
    return status_of(self, static_cast<size_t>(i));
  };
  return commit_then<task_status>(self, storage::set_task_settings(name, patch),
                                  apply, "the settings of " + name);
}

caf::result<supervisor_status>
on_settings_change(supervisor_self self, const settings_change& change) {
  std::vector<std::pair<size_t, task_settings_patch>> patches;
  write_request req;
  for (const auto& e : change.tasks) {
    auto i = self->state.index_of(e.task);
    if (i < 0)
      return unknown_task(e.task);
    patches.emplace_back(static_cast<size_t>(i), e.patch);
    for (auto& stmt : storage::set_task_settings(e.task, e.patch).statements)
      req.statements.push_back(std::move(stmt));
  }
  for (const auto& stmt : change.other.statements)
    req.statements.push_back(stmt);
  auto apply = [self, patches] {
    for (const auto& [i, patch] : patches)
      apply_patch(self, i, patch);
    changed(self);
    return full_status(self);
  };
  return commit_then<supervisor_status>(self, std::move(req), apply,
                                        "the settings");
}

} // namespace discotheque::supervisor_impl
