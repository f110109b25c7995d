// The download worker's loader: one blocking read of what a run starts from
// (the pending tracks in their order, the tracks a previous run left in
// `downloading`, the client's blocklist), with a read-only connection.
// Spawned detached per run; it quits after its answer.
#pragma once

#include "messages/interfaces.hpp"

#include <filesystem>
#include <string>

namespace discotheque {

/// Reads the run's download_work from `db_path` (read-only); `client`
/// names whose blocklist is read. A database that cannot be read answers
/// an error (the run fails and the next one tries again).
download_loader_actor::behavior_type
download_loader(download_loader_actor::pointer self,
                std::filesystem::path db_path, std::string client);

} // namespace discotheque
