#include "actors/gateway/response_cache.hpp"

#include "actors/inspect.hpp"
#include "messages/error.hpp"
#include "storage/queries/response_cache.hpp"
#include "storage/writes/response_cache.hpp"
#include "support/log.hpp"

#include <nlohmann/json.hpp>

namespace discotheque {

namespace {

actor_summary
summary_of(response_cache_actor::stateful_pointer<response_cache_state> self) {
  const auto& st = self->state;
  nlohmann::json details{{"reads", st.reads}, {"hits", st.hits}};
  auto line = std::to_string(st.reads) + " reads, " + std::to_string(st.hits)
              + " hits";
  return inspection::summarize(self, "response_cache", line, details);
}

} // namespace

response_cache_actor::behavior_type response_cache(
  response_cache_actor::stateful_pointer<response_cache_state> self,
  response_cache_config config) {
  auto& st = self->state;
  st.config = std::move(config);
  st.log = log::get("response-cache");
  try {
    st.db = storage::database::open(st.config.db_path,
                                    storage::database::mode::read_only);
  } catch (const std::exception& e) {
    st.log->warn("cannot open the cache for reading: {}", e.what());
  }
  return {
    [self](atom::cache_get, const std::string& url) -> cached_answer {
      auto& st = self->state;
      ++st.reads;
      if (!st.db) {
        cached_answer none;
        none.url = url;
        return none;
      }
      try {
        auto a = storage::cached_answer_for(st.db, url);
        if (a.found)
          ++st.hits;
        return a;
      } catch (const std::exception& e) {
        st.log->warn("cache read failed: {}", e.what());
        cached_answer none;
        none.url = url;
        return none;
      }
    },
    [self](atom::cache_put,
           const cached_answer& a) -> caf::result<atom::ok_atom> {
      auto& st = self->state;
      if (!st.config.store)
        return atom::ok_atom_v;
      auto rp = self->make_response_promise<atom::ok_atom>();
      self
        ->request(st.config.store, std::chrono::seconds{60}, atom::write_v,
                  storage::put_cached_answer(a))
        .then([rp](const write_ack&) mutable { rp.deliver(atom::ok_atom_v); },
              [rp](const caf::error& err) mutable { rp.deliver(err); });
      return rp;
    },
    [self](atom::inspect_atom) { return summary_of(self); },
  };
}

} // namespace discotheque
