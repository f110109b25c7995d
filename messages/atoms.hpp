// Every atom of the project and the one type-ID block that registers our
// message types with CAF. Atom texts are at most 10 characters and must be
// unique.
#pragma once

#include "messages/cloud.hpp"
#include "messages/downloads.hpp"
#include "messages/expand.hpp"
#include "messages/identify.hpp"
#include "messages/images.hpp"
#include "messages/inspect.hpp"
#include "messages/library.hpp"
#include "messages/node.hpp"
#include "messages/scan.hpp"
#include "messages/settings.hpp"
#include "messages/status.hpp"
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

// cloud providers (messages/cloud.hpp)

// outbound http
CAF_ADD_ATOM(discotheque, discotheque::atom, pfetch, "pfetch")
// rate limiter
CAF_ADD_ATOM(discotheque, discotheque::atom, rl_permit, "rl_permit")
CAF_ADD_ATOM(discotheque, discotheque::atom, rl_grant, "rl_grant")
// circuit breaker
CAF_ADD_ATOM(discotheque, discotheque::atom, cb_allow, "cb_allow")
CAF_ADD_ATOM(discotheque, discotheque::atom, cb_ok, "cb_ok")
CAF_ADD_ATOM(discotheque, discotheque::atom, cb_fail, "cb_fail")
// gateway
CAF_ADD_ATOM(discotheque, discotheque::atom, gw_retry, "gw_retry")
// token refresher
CAF_ADD_ATOM(discotheque, discotheque::atom, tok_get, "tok_get")
CAF_ADD_ATOM(discotheque, discotheque::atom, tok_renew, "tok_renew")
CAF_ADD_ATOM(discotheque, discotheque::atom, tok_tick, "tok_tick")
CAF_ADD_ATOM(discotheque, discotheque::atom, tok_retry, "tok_retry")
// sources
CAF_ADD_ATOM(discotheque, discotheque::atom, src_page, "src_page")
CAF_ADD_ATOM(discotheque, discotheque::atom, src_info, "src_info")

CAF_ADD_TYPE_ID(discotheque, (discotheque::http_call))
CAF_ADD_TYPE_ID(discotheque, (discotheque::http_reply))
CAF_ADD_TYPE_ID(discotheque, (discotheque::provider_status))
CAF_ADD_TYPE_ID(discotheque, (discotheque::playlist_dto))
CAF_ADD_TYPE_ID(discotheque, (discotheque::page_request))
CAF_ADD_TYPE_ID(discotheque, (discotheque::source_page))
CAF_ADD_TYPE_ID(discotheque, (discotheque::source_info))
CAF_ADD_TYPE_ID(discotheque, (discotheque::playlist_modes))

// the reader's status snapshot (messages/status.hpp)
CAF_ADD_TYPE_ID(discotheque, (discotheque::library_totals))
CAF_ADD_TYPE_ID(discotheque, (discotheque::provider_state_view))
CAF_ADD_TYPE_ID(discotheque, (discotheque::library_snapshot))

// identification (messages/identify.hpp)
CAF_ADD_ATOM(discotheque, discotheque::atom, cache_get, "cache_get")
CAF_ADD_ATOM(discotheque, discotheque::atom, cache_put, "cache_put")
CAF_ADD_ATOM(discotheque, discotheque::atom, id_load, "id_load")
CAF_ADD_TYPE_ID(discotheque, (discotheque::cached_answer))
CAF_ADD_TYPE_ID(discotheque, (discotheque::artist_to_identify))
CAF_ADD_TYPE_ID(discotheque, (std::vector<discotheque::artist_to_identify>) )
CAF_ADD_TYPE_ID(discotheque, (discotheque::track_to_identify))
CAF_ADD_TYPE_ID(discotheque, (discotheque::album_to_identify))
CAF_ADD_TYPE_ID(discotheque, (std::vector<discotheque::album_to_identify>) )
CAF_ADD_TYPE_ID(discotheque, (discotheque::tracks_to_identify))

// settings (messages/settings.hpp)
CAF_ADD_ATOM(discotheque, discotheque::atom, settings, "settings")
CAF_ADD_TYPE_ID(discotheque, (discotheque::playlist_setting))
CAF_ADD_TYPE_ID(discotheque, (discotheque::settings_snapshot))
CAF_ADD_TYPE_ID(discotheque, (discotheque::task_settings_entry))
CAF_ADD_TYPE_ID(discotheque, (discotheque::settings_change))

// the inspect protocol (messages/inspect.hpp)
CAF_ADD_ATOM(discotheque, discotheque::atom, inspect_atom, "inspect")
CAF_ADD_TYPE_ID(discotheque, (discotheque::actor_summary))

// image pool (messages/images.hpp)
CAF_ADD_ATOM(discotheque, discotheque::atom, img_get, "img_get")
CAF_ADD_ATOM(discotheque, discotheque::atom, img_limit, "img_limit")
CAF_ADD_ATOM(discotheque, discotheque::atom, img_stats, "img_stats")
CAF_ADD_ATOM(discotheque, discotheque::atom, img_load, "img_load")
CAF_ADD_TYPE_ID(discotheque, (discotheque::image_job))
CAF_ADD_TYPE_ID(discotheque, (std::vector<discotheque::image_job>) )
CAF_ADD_TYPE_ID(discotheque, (discotheque::image_outcome))
CAF_ADD_TYPE_ID(discotheque, (discotheque::image_plan))

// the download worker (messages/downloads.hpp)
CAF_ADD_ATOM(discotheque, discotheque::atom, dl_load, "dl_load")
CAF_ADD_ATOM(discotheque, discotheque::atom, dl_import, "dl_import")
CAF_ADD_ATOM(discotheque, discotheque::atom, dl_tick, "dl_tick")
CAF_ADD_TYPE_ID(discotheque, (discotheque::downloads::wanted_track))
CAF_ADD_TYPE_ID(discotheque,
                (std::vector<discotheque::downloads::wanted_track>) )
CAF_ADD_TYPE_ID(discotheque, (discotheque::held_download))
CAF_ADD_TYPE_ID(discotheque, (std::vector<discotheque::held_download>) )
CAF_ADD_TYPE_ID(discotheque, (discotheque::download_work))
CAF_ADD_TYPE_ID(discotheque, (discotheque::import_request))
CAF_ADD_TYPE_ID(discotheque, (discotheque::import_result))

// provider credentials changed through the settings API: the node respawns
// that provider's actors (messages/interfaces.hpp, node_actor)
CAF_ADD_ATOM(discotheque, discotheque::atom, respawn, "respawn")

// expand phase (messages/expand.hpp)
CAF_ADD_TYPE_ID(discotheque, (discotheque::album_in_library))
CAF_ADD_TYPE_ID(discotheque, (discotheque::artist_to_expand))
CAF_ADD_TYPE_ID(discotheque, (discotheque::expand_plan))

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
