// The directory walk of the local scan: one stat() per entry, a hash per
// folder (Navidrome's model: names, sizes and mtimes of its audio files), and
// the comparison with what the database knows, so unchanged files are never
// opened and unchanged folders are skipped as a whole.
#pragma once

#include "messages/scan.hpp"

namespace discotheque::scan {

/// Walks `req.roots` (following symlinks, each directory once by device and
/// inode, so loops end), never entering `req.data_dir`. Blocking.
walk_result walk(const walk_request& req);

} // namespace discotheque::scan
