#include "storage/writes/response_cache.hpp"

namespace discotheque::storage {

write_request put_cached_answer(const cached_answer& a) {
  return write_request{{sql_stmt{
    "INSERT INTO provider_cache(url, provider, status, body, fetched_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(url) DO UPDATE SET"
    " provider = excluded.provider, status = excluded.status,"
    " body = excluded.body, fetched_at = excluded.fetched_at",
    {sql_value::of(a.url), sql_value::of(a.provider),
     sql_value::of(static_cast<int64_t>(a.status)), sql_value::of(a.body),
     sql_value::of(a.fetched_at)}}}};
}

} // namespace discotheque::storage
