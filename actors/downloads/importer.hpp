// The download worker's importer: checks a finished file with TagLib and
// moves it into the music folder or the quarantine (downloads/import.hpp).
// File work blocks, so the worker spawns it detached, one per import.
#pragma once

#include "messages/interfaces.hpp"

namespace discotheque {

/// Carries out one import_request, then quits.
download_importer_actor::behavior_type
download_importer(download_importer_actor::pointer self, int32_t unused);

} // namespace discotheque
