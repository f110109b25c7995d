#include "storage/queries/response_cache.hpp"

namespace discotheque::storage {

cached_answer cached_answer_for(database& db, const std::string& url) {
  cached_answer a;
  a.url = url;
  auto st = db.prepare("SELECT provider, status, body, fetched_at FROM "
                       "provider_cache WHERE url = ?1");
  st.bind(1, std::string_view{url});
  if (st.step()) {
    a.found = true;
    a.provider = st.text(0);
    a.status = static_cast<int32_t>(st.int64(1));
    a.body = st.text(2);
    a.fetched_at = st.int64(3);
  }
  return a;
}

} // namespace discotheque::storage
