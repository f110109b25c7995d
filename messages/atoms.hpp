// Every atom of the project and the type-ID block that registers our message
// types with CAF. Atom texts are at most 10 characters and must be unique.
#pragma once

#include "messages/library.hpp"
#include "messages/node.hpp"
#include "messages/scan.hpp"
#include "messages/tasks.hpp"
#include "messages/types.hpp"

#include <caf/type_id.hpp>

CAF_BEGIN_TYPE_ID_BLOCK(discotheque, caf::first_custom_type_id)

// store
CAF_ADD_ATOM(discotheque, discotheque::atom, write, "write")
CAF_ADD_ATOM(discotheque, discotheque::atom, stats, "stats")
// supervisor and tasks
CAF_ADD_ATOM(discotheque, discotheque::atom, run, "run")
CAF_ADD_ATOM(discotheque, discotheque::atom, cycle, "cycle")
CAF_ADD_ATOM(discotheque, discotheque::atom, status, "status")
CAF_ADD_ATOM(discotheque, discotheque::atom, progress, "progress")
// dedup store
CAF_ADD_ATOM(discotheque, discotheque::atom, merge, "merge")
CAF_ADD_ATOM(discotheque, discotheque::atom, reconcile, "reconcile")
// http api
CAF_ADD_ATOM(discotheque, discotheque::atom, http, "http")

CAF_ADD_TYPE_ID(discotheque, (discotheque::sql_value))
CAF_ADD_TYPE_ID(discotheque, (discotheque::sql_stmt))
CAF_ADD_TYPE_ID(discotheque, (discotheque::write_request))
CAF_ADD_TYPE_ID(discotheque, (discotheque::write_ack))
CAF_ADD_TYPE_ID(discotheque, (discotheque::store_stats))
CAF_ADD_TYPE_ID(discotheque, (discotheque::task_request))
CAF_ADD_TYPE_ID(discotheque, (discotheque::task_result))
CAF_ADD_TYPE_ID(discotheque, (discotheque::artist_dto))
CAF_ADD_TYPE_ID(discotheque, (discotheque::album_dto))
CAF_ADD_TYPE_ID(discotheque, (discotheque::track_dto))
CAF_ADD_TYPE_ID(discotheque, (discotheque::provider_ref))
CAF_ADD_TYPE_ID(discotheque, (std::vector<discotheque::provider_ref>) )
CAF_ADD_TYPE_ID(discotheque, (discotheque::ingest_batch))
CAF_ADD_TYPE_ID(discotheque, (discotheque::ingest_result))

// local scan (walker and tag readers)
CAF_ADD_ATOM(discotheque, discotheque::atom, scan_walk, "scanwalk")
CAF_ADD_ATOM(discotheque, discotheque::atom, scan_read, "scanread")
CAF_ADD_TYPE_ID(discotheque, (discotheque::scan_file))
CAF_ADD_TYPE_ID(discotheque, (discotheque::scan_error_dto))
CAF_ADD_TYPE_ID(discotheque, (discotheque::walk_request))
CAF_ADD_TYPE_ID(discotheque, (discotheque::walk_result))
CAF_ADD_TYPE_ID(discotheque, (discotheque::read_result))
CAF_ADD_TYPE_ID(discotheque, (std::vector<discotheque::scan_file>) )

// node
CAF_ADD_TYPE_ID(discotheque, (discotheque::node_health))
CAF_ADD_TYPE_ID(discotheque, (std::vector<discotheque::node_health>) )

// supervisor answers (messages/tasks.hpp)
CAF_ADD_TYPE_ID(discotheque, (discotheque::task_status))
CAF_ADD_TYPE_ID(discotheque, (discotheque::cycle_report))
CAF_ADD_TYPE_ID(discotheque, (discotheque::supervisor_status))
CAF_ADD_TYPE_ID(discotheque, (discotheque::run_started))
CAF_ADD_TYPE_ID(discotheque, (discotheque::task_settings_patch))

CAF_END_TYPE_ID_BLOCK(discotheque)

namespace discotheque::atom {
using caf::flush_atom;
using caf::flush_atom_v;
using caf::get_atom;
using caf::get_atom_v;
using caf::ok_atom;
using caf::ok_atom_v;
using caf::put_atom;
using caf::put_atom_v;
using caf::tick_atom;
using caf::tick_atom_v;
} // namespace discotheque::atom
