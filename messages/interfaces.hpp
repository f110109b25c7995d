// Every typed actor interface of Discotheque, in one place, ordered along the
// data path: the supervisor's timer starts tasks; tasks read local files or
// ask sources, which talk to their provider through the gateway; what they
// find goes through the dedup store to the store. The reader and the api
// actor are the edge; the node supervises. Behaviours live in actors/;
// message types in messages/*.hpp.
//
//   supervisor_actor        the timer and the task DAG: decides what runs when
//   task_actor              one task of SPEC §2, run by the supervisor
//   walker_actor            the local scan: walks the music folders
//   tag_reader_actor        the local scan: reads tags (a pool)
//   source_actor            a cloud provider's lists, mapped to the common DTOs
//   provider_gateway_actor  the only way to a provider (breaker, auth, retry)
//   rate_limiter_actor      one per provider: spaces the calls
//   circuit_breaker_actor   one per provider: stops calling a failing provider
//   token_refresher_actor   per OAuth provider: keeps the token fresh
//   http_client_actor       one outbound HTTP connection (detached)
//   response_cache_actor    stored answers of a metadata provider (detached)
//   dedup_store_actor       matches and merges what tasks found
//   store_actor             the only writer of the SQLite database
//   reader_actor            the edge: the API's read side (read-only)
//   api_actor               the edge: HTTP requests in, answers out
//   node_actor              supervises the infrastructure actors
//   image_pool_actor        downloads images, a bounded number at once
//   image_worker_actor      one image download (detached)
//   download_worker_actor   the download_queue task: searches, transfers
//   download_loader_actor   what a download run starts from (detached)
//   download_importer_actor checks and moves a finished file (detached)
#pragma once

#include "http/exchange.hpp"
#include "messages/atoms.hpp"
#include "messages/cloud.hpp"
#include "messages/downloads.hpp"
#include "messages/inspect.hpp"
#include "messages/settings.hpp"
#include "messages/status.hpp"
#include "messages/tasks.hpp"
#include "messages/types.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <string>
#include <vector>

namespace discotheque {

// --- the shared inspect protocol ---

/// What every long-lived actor answers (extended into its interface):
/// `(inspect) -> actor_summary`, its counters and its state (see
/// messages/inspect.hpp, actors/inspect.hpp; GET /api/system/actors).
using inspectable_actor
  = caf::typed_actor<caf::replies_to<atom::inspect_atom>::with<actor_summary>>;

// --- timer and tasks ---

/// The SUPERVISOR actor interface: holds the task DAG and runs cycles.
/// Answers are typed values (messages/tasks.hpp); http/api/tasks.hpp renders
/// them for the API and the command line.
///
/// - `(cycle, trigger) -> cycle_report`: runs one cycle now over every task
///   (enabled, due and dependency rules of SPEC §2, see
///   actors/supervisor/cycle.hpp) and answers its report when the last task
///   finished. Refused with `already_running` while a cycle runs.
/// - `(cycle) -> ok`: starts a cycle (trigger "manual") and answers at once;
///   `already_running` while a cycle runs.
/// - `(run, names, trigger) -> cycle_report`: runs exactly these tasks once,
///   in DAG order, ignoring due/enabled; a task runs only if those of its
///   dependencies that are in `names` succeeded. (`discotheque run`.)
/// - `(run, name) -> run_started`: Run Now. Starts the task at once and
///   answers without waiting; `already_running` if it runs,
///   `not_implemented` if it has no handler, `unknown_task` if there is no
///   such task.
/// - `(status) -> supervisor_status`: every task, whether a cycle runs, the
///   last cycle's report and a version that changes with any of them.
/// - `(status, name) -> task_status`: one task, with live progress while it
///   runs.
/// - `(put, name, task_settings_patch) -> task_status`: changes `enabled`
///   and/or the interval of a task and persists them (the patch is validated
///   by whoever parsed it).
/// - `(put, settings_change) -> supervisor_status`: the settings API's
///   change: every task named must exist (else nothing changes); its task
///   settings and its other statements commit in one write, then apply.
/// - `(tick)`: the scheduler's timer; checks which tasks are due.
using supervisor_actor = caf::typed_actor<
  caf::replies_to<atom::cycle, std::string>::with<cycle_report>,
  caf::replies_to<atom::cycle>::with<atom::ok_atom>,
  caf::replies_to<atom::run, std::vector<std::string>,
                  std::string>::with<cycle_report>,
  caf::replies_to<atom::run, std::string>::with<run_started>,
  caf::replies_to<atom::status>::with<supervisor_status>,
  caf::replies_to<atom::status, std::string>::with<task_status>,
  caf::replies_to<atom::put_atom, std::string,
                  task_settings_patch>::with<task_status>,
  caf::replies_to<atom::put_atom, settings_change>::with<supervisor_status>,
  caf::reacts_to<atom::tick_atom>>::extend_with<inspectable_actor>;

/// The TASK actor interface: one actor per task of SPEC §2 (scan_local_library,
/// sync_spotify_likes, identify_artists ...). The supervisor sends `run` when
/// the task is due (or on Run Now) and records the result.
///
/// - `(run, task_request) -> task_result`: runs the task once. A provider task
///   whose provider is not configured or not authenticated answers
///   run_status::skipped with skip_reason::provider_unavailable (which
///   satisfies its dependents). An error response (instead of a task_result)
///   counts as failed; a second run while one runs is refused with
///   `already_running`.
/// - `(progress) -> std::string`: the current run's counters as a JSON object
///   (or "{}" when idle), so the API can show progress during a long run.
using task_actor = caf::typed_actor<
  caf::replies_to<atom::run, task_request>::with<task_result>,
  caf::replies_to<atom::progress>::with<std::string>>;

/// The WALKER actor interface (the local scan's first step): one blocking
/// directory walk per request, compared with what the database knows.
///
/// - `(scan_walk, walk_request) -> walk_result`: the files to read, the files
///   gone, the changed folders and the roots that could not be seen.
using walker_actor = caf::typed_actor<
  caf::replies_to<atom::scan_walk, walk_request>::with<walk_result>>;

/// The TAG READER actor interface: one of a pool, each reading the tags of a
/// chunk of files with TagLib (blocking, so spawned detached).
///
/// - `(scan_read, [scan_file]) -> read_result`: the chunk's tracks and the
///   files that could not be read, with the reason.
using tag_reader_actor = caf::typed_actor<
  caf::replies_to<atom::scan_read, std::vector<scan_file>>::with<read_result>>;

// --- cloud providers: source and gateway ---

/// The SOURCE actor interface: one per cloud provider (the generic source
/// with the wire of the provider's descriptor). Knows the provider's wire
/// format, pages through its lists and maps them to the common DTOs; knows
/// nothing about the database. A new provider is one new descriptor.
///
/// - `(src_info) -> source_info`: configured and authenticated?
/// - `(src_page, page_request) -> source_page`: one page of a list, or an
///   error (`provider_unavailable`, `bad_response`).
using source_actor = caf::typed_actor<
  caf::replies_to<atom::src_info>::with<source_info>,
  caf::replies_to<atom::src_page, page_request>::with<source_page>>;

/// The PROVIDER GATEWAY actor interface: the only way a source talks to its
/// provider. Per call: blocked-until check, breaker, rate limiter, auth
/// (where the provider's descriptor puts it), HTTP, then retry with backoff
/// (1 s, 2 s, 4 s ..., honouring Retry-After) on timeouts, 5xx and 429.
///
/// - `(pfetch, http_call) -> http_reply`: the final answer (2xx, or a
///   non-retryable 4xx for the source to judge), or an error:
///   `provider_unavailable` (breaker open, blocked, not authenticated) or
///   `bad_response` (still failing after the last retry).
/// - `(status) -> provider_status`.
using provider_gateway_actor = caf::typed_actor<
  caf::replies_to<atom::pfetch, http_call>::with<http_reply>,
  caf::replies_to<atom::status>::with<provider_status>,
  // internal: a backoff elapsed, try call `id` again (sent
  // to itself)
  caf::reacts_to<atom::gw_retry, uint64_t>>::extend_with<inspectable_actor>;

/// The RATE LIMITER actor interface: one per provider, shared by every task
/// that talks to that provider. Grants are spaced by at least 1/rate since
/// the previous grant (i.e. since the previous request *started*).
///
/// - `(rl_permit) -> int64_t`: answers when the caller may start its request;
///   the answer is how many milliseconds the caller waited.
using rate_limiter_actor = caf::typed_actor<
  caf::replies_to<atom::rl_permit>::with<int64_t>,
  // internal: a delayed grant is due (sent to itself)
  caf::reacts_to<atom::rl_grant, uint64_t>>::extend_with<inspectable_actor>;

/// The CIRCUIT BREAKER actor interface: one per provider. Opens after N
/// consecutive failures, stays open for a configurable time, then lets one
/// trial call through (half-open). Persists provider_state / provider_errors.
///
/// - `(cb_allow) -> bool`: may a call start now?
/// - `(cb_ok)`: a call succeeded.
/// - `(cb_fail, message)`: a call failed (transport error, 5xx).
/// - `(status) -> provider_status`: for the status API.
using circuit_breaker_actor
  = caf::typed_actor<caf::replies_to<atom::cb_allow>::with<bool>,
                     caf::reacts_to<atom::cb_ok>,
                     caf::reacts_to<atom::cb_fail, std::string>,
                     caf::replies_to<atom::status>::with<provider_status>>::
    extend_with<inspectable_actor>;

/// The TOKEN REFRESHER actor interface: one per OAuth provider, separate from
/// the library tasks. Keeps the access token fresh (refreshes before expiry)
/// and persists tokens in provider_tokens (never logs them).
///
/// - `(tok_get) -> std::string`: a valid access token (refreshing first if
///   needed); an error `provider_unavailable` if the provider is not
///   authorized (no refresh token, the grant was refused), `bad_response`
///   if the token endpoint kept failing after its retries.
/// - `(tok_renew, stale) -> std::string`: the provider rejected `stale`;
///   refresh unless a newer token exists already.
using token_refresher_actor = caf::typed_actor<
  caf::replies_to<atom::tok_get>::with<std::string>,
  caf::replies_to<atom::tok_renew, std::string>::with<std::string>,
  // internal: refresh ahead of expiry (sent to itself)
  caf::reacts_to<atom::tok_tick>,
  // internal: the next attempt of a refresh after a backoff
  caf::reacts_to<atom::tok_retry>>::extend_with<inspectable_actor>;

/// The HTTP CLIENT actor interface: one libcurl easy handle (keep-alive),
/// spawned detached because every call blocks.
///
/// - `(pfetch, http_call) -> http_reply`: performs the call. Transport
///   failures are answered as an http_reply with status 0, not as errors.
using http_client_actor = caf::typed_actor<
  caf::replies_to<atom::pfetch, http_call>::with<http_reply>>;

/// The RESPONSE CACHE actor interface: the stored answers of a metadata
/// provider (MusicBrainz) by request URL. Detached, with its own read-only
/// connection, so a lookup never blocks a scheduler thread; writes go to
/// the store.
///
/// - `(cache_get, url) -> cached_answer`: the stored answer (`found` false
///   when there is none or the database cannot be read).
/// - `(cache_put, cached_answer) -> ok`: stores it; answers once committed.
using response_cache_actor = caf::typed_actor<
  caf::replies_to<atom::cache_get, std::string>::with<cached_answer>,
  caf::replies_to<atom::cache_put, cached_answer>::with<atom::ok_atom>>::
  extend_with<inspectable_actor>;

// --- writing the library ---

/// The DEDUP STORE actor interface: the one place that knows the matching
/// rules of SPEC §5 (MBID -> ISRC -> provider id -> normalized name). It keeps
/// its indexes warm in memory and writes through the store actor.
///
/// - `(merge, ingest_batch) -> ingest_result`: matches and merges every
///   entity of the batch, records the batch's ownership claim, answers once
///   the writes are committed.
/// - `(reconcile, source, reason, run_id) -> int64_t`: the sync of
///   (source, reason) ending with run `run_id` is complete: every claim of
///   that source and reason not renewed in that run is released (the entity
///   goes back to discovered with the cascade of SPEC §4 unless another
///   claim keeps it owned). Answers the number of claims released.
using dedup_store_actor = caf::typed_actor<
  caf::replies_to<atom::merge, ingest_batch>::with<ingest_result>,
  caf::replies_to<atom::reconcile, std::string, std::string,
                  int64_t>::with<int64_t>>::extend_with<inspectable_actor>;

/// The STORE actor interface: the only writer of the SQLite database.
///
/// - `(write, write_request) -> write_ack`: runs the request's statements in
///   one savepoint of the store's current transaction. The answer comes only
///   after that transaction has committed, so an acknowledged write survives a
///   crash. A request whose statement fails is rolled back alone and answered
///   with an error (`ec::constraint_violation` or `ec::database_error`); the
///   other requests of the batch still commit.
/// - `(stats) -> store_stats`: counters (transactions, writes, retries ...).
using store_actor = caf::typed_actor<
  caf::replies_to<atom::write, write_request>::with<write_ack>,
  caf::replies_to<atom::stats>::with<store_stats>,
  // internal: commits the batch collected so far (sent to itself)
  caf::reacts_to<atom::flush_atom>>::extend_with<inspectable_actor>;

// --- the edge ---

/// The READER actor interface: a detached actor with a read-only database
/// connection that answers the read side of the API, so SQLite never blocks
/// a scheduler or io thread and never waits for the store's writes (WAL).
///
/// - `(http, http_exchange)`: offers the request to the endpoint modules
///   (http/api/*.cpp) and answers it; 404 when no module owns the path.
/// - `(status) -> library_snapshot`: library totals and provider states
///   (messages/status.hpp).
/// - `(settings) -> settings_snapshot`: the settings table and the
///   playlists' sync modes (messages/settings.hpp), for the settings API.
using reader_actor
  = caf::typed_actor<caf::reacts_to<atom::http, http_exchange>,
                     caf::replies_to<atom::status>::with<library_snapshot>,
                     caf::replies_to<atom::settings>::with<settings_snapshot>>::
    extend_with<inspectable_actor>;

/// The API actor interface: receives parsed HTTP requests from the server's
/// io threads, asks the other actors, and answers through the responder. It
/// never blocks; slow answers come from requests with timeouts.
///
/// - `(put, reader)`: the node restarted the reader; use this one from now.
using api_actor = caf::typed_actor<
  caf::reacts_to<atom::http, http_exchange>,
  caf::reacts_to<atom::put_atom, reader_actor>,
  // internal: refreshes the cached snapshot
  caf::reacts_to<atom::tick_atom>>::extend_with<inspectable_actor>;

// --- supervision ---

/// The NODE actor interface: supervises the infrastructure actors (see
/// actors/node.hpp); restarts what can be restarted and reports the death of
/// what cannot, so the service shuts down in order.
///
/// - `(status) -> [node_health]`: every supervised actor, running or not,
///   and how often it was restarted.
/// - `(respawn, provider) -> bool`: spawns that provider's actors again from
///   the config and its persisted state (a settings change of its
///   credentials or enablement; no restart counted) and supervises the new
///   ones; false: the provider has no actors now (disabled).
using node_actor = caf::typed_actor<
  caf::replies_to<atom::status>::with<std::vector<node_health>>,
  caf::replies_to<atom::respawn,
                  std::string>::with<bool>>::extend_with<inspectable_actor>;

// --- images ---

/// The IMAGE WORKER actor interface: carries out one image_job at a time
/// (actors/images/fetch.hpp; blocking, so spawned detached).
using image_worker_actor = caf::typed_actor<
  caf::replies_to<atom::img_get, image_job>::with<image_outcome>>;

/// The IMAGE POOL actor interface (actors/images/image_pool.hpp): at most
/// `limit` downloads at once, each by a detached worker.
///
/// - `(img_get, job) -> outcome`: queued; answered once the outcome was
///   written through the store (image_path, image_state, reason).
/// - `(img_limit, n) -> n`: the number of downloads at once from now on
///   (clamped to 1..64), e.g. from the setting
///   library.image_download_concurrency.
/// - `(img_stats) -> (limit, active, queued, max_active)`.
using image_pool_actor = caf::typed_actor<
  caf::replies_to<atom::img_get, image_job>::with<image_outcome>,
  caf::replies_to<atom::img_limit, int32_t>::with<int32_t>,
  caf::replies_to<atom::img_stats>::with<int32_t, int32_t, int32_t, int32_t>>;

// --- the download worker ---

/// The DOWNLOAD LOADER actor interface (actors/downloads/loader.hpp): reads
/// what a run of the worker starts from (blocking: spawned detached).
///
/// - `(dl_load, limit) -> download_work`: at most `limit` pending tracks
///   in their order, the held ones and the blocklist (the worker moved the
///   failed tracks whose retry time came back to pending before).
using download_loader_actor = caf::typed_actor<
  caf::replies_to<atom::dl_load, int64_t>::with<download_work>>;

/// The DOWNLOAD IMPORTER actor interface (actors/downloads/importer.hpp):
/// checks a finished file with TagLib and moves it into the music folder,
/// or into the quarantine (blocking file work: spawned detached).
using download_importer_actor = caf::typed_actor<
  caf::replies_to<atom::dl_import, import_request>::with<import_result>>;

/// The DOWNLOAD WORKER actor interface (actors/downloads/worker.hpp): the
/// `download_queue` task (a task actor) plus its own timer, which polls
/// the searches and transfers it follows.
using download_worker_actor = task_actor::extend<caf::reacts_to<atom::dl_tick>>;

} // namespace discotheque

// The node hands the api a restarted reader: a handle that never leaves the
// process, so it needs no serialization.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(discotheque::reader_actor)
