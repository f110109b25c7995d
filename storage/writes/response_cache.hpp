// The writes of the provider response cache (provider_cache): one answer
// per request URL, replaced when fetched again.
#pragma once

#include "messages/identify.hpp"
#include "messages/types.hpp"

namespace discotheque::storage {

/// Stores (or replaces) the answer `a` for `a.url`.
write_request put_cached_answer(const cached_answer& a);

} // namespace discotheque::storage
