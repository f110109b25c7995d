// The writes of the download worker: every transition of a track's
// download_state (guarded by the state it leaves, so a track never holds two
// transfers) with an event row carrying its time and reason; the transfer a
// job holds; failures with their retry time (1 h, 6 h, 24 h, 7 days, then
// none); the decision records and the blocklist.
#pragma once

#include "messages/types.hpp"

#include <cstdint>
#include <string>

namespace discotheque::storage {

/// pending -> downloading (phase searching). Changes nothing unless the track
/// is pending: the first change count (the event insert) tells whether the
/// worker may go on.
write_request start_download(int64_t track_id, const std::string& reason,
                             int64_t now);

/// The transfer the job now holds (phase transferring).
write_request hold_transfer(int64_t track_id, const std::string& client,
                            const std::string& username,
                            const std::string& remote_path, int64_t size,
                            const std::string& transfer_id, int64_t now);

/// The job moves to another phase inside downloading (importing ...) and
/// lets go of its transfer when `phase` is searching (the next candidate).
write_request set_download_phase(int64_t track_id, const std::string& phase,
                                 const std::string& note, int64_t now);

/// downloading -> downloaded with the imported file (size, mtime in ns as
/// the scan stores them), so the next scan sees it as known.
write_request finish_download(int64_t track_id, const std::string& local_path,
                              int64_t file_size, int64_t file_mtime_ns,
                              int64_t now);

/// downloading -> failed with `reason` in last_error; one more attempt; the
/// retry time from downloads::retry_delay_ms (none after the fourth retry).
write_request fail_download(int64_t track_id, const std::string& reason,
                            int64_t now);

/// downloading -> pending (a crash left it without a transfer, or the
/// worker gives it back unchanged).
write_request release_download(int64_t track_id, const std::string& reason,
                               int64_t now);

/// Every failed track whose retry time has come -> pending.
write_request requeue_due_downloads(int64_t now);

/// The decision record of one grab (JSON text).
write_request record_decision(int64_t track_id, const std::string& client,
                              const std::string& query,
                              const std::string& chosen_user,
                              const std::string& chosen_path, double margin,
                              const std::string& record, int64_t now);

/// A (user, file) pair that failed or was rejected, for good.
write_request block_file(const std::string& client, const std::string& username,
                         const std::string& remote_path,
                         const std::string& reason, int64_t track_id,
                         int64_t now);

} // namespace discotheque::storage
