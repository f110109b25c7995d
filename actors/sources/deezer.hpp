// deezer_source: the Deezer API (api.deezer.com) behind the source interface.
// User lists need ?access_token= (added by the gateway); errors mostly come
// inside HTTP 200 as {"error":{...}}; paging by index/limit with `next`.
#pragma once

#include "actors/sources/source.hpp"

namespace discotheque {

source_actor::behavior_type
deezer_source(source_actor::stateful_pointer<source_state> self,
              source_config config);

namespace deezer {
artist_dto map_artist(const nlohmann::json& a);
album_dto map_album(const nlohmann::json& a);
track_dto map_track(const nlohmann::json& t, const album_dto* context);
/// Removes access_token=… from a URL's query (the gateway adds our own).
std::string strip_token(const std::string& url);
} // namespace deezer

} // namespace discotheque
