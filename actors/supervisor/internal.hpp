// What the supervisor's source files share (not an interface: only
// actors/supervisor/*.cpp include it). supervisor.cpp holds the behaviour and
// the run bookkeeping; settings.cpp the settings handlers.
#pragma once

#include "actors/supervisor/supervisor.hpp"
#include "messages/settings.hpp"

#include <caf/typed_event_based_actor.hpp>

namespace discotheque::supervisor_impl {

using supervisor_self = supervisor_actor::stateful_pointer<supervisor_state>;

/// The supervisor's clock in epoch ms (the test coordinator's clock in tests).
int64_t now(supervisor_self self);

/// Something the status shows changed: bumps the version.
void changed(supervisor_self self);

/// Task `i` as the status shows it.
task_status status_of(supervisor_self self, size_t i);

/// Every task, the cycle flag and the last cycle.
supervisor_status full_status(supervisor_self self);

/// The running set and each task's handler, for (inspect).
actor_summary summary_of(supervisor_self self);

caf::error unknown_task(const std::string& name);

/// PUT /api/library/tasks/{name}: answered once committed.
caf::result<task_status> on_settings(supervisor_self self,
                                     const std::string& name,
                                     const task_settings_patch& patch);

/// PUT /api/settings: every task named must exist (else nothing changes);
/// the task settings and `change.other` commit in one write, and only then
/// are the task settings applied. Answers the new status.
caf::result<supervisor_status>
on_settings_change(supervisor_self self, const settings_change& change);

} // namespace discotheque::supervisor_impl
