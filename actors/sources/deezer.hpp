// deezer_source: the Deezer API (api.deezer.com) behind the source interface.
// User lists need ?access_token= (added by the gateway); errors mostly come
// inside HTTP 200 as {"error":{...}}; paging by index/limit with `next`.
#pragma once

#include "actors/gateway/provider_gateway.hpp"
#include "actors/sources/source.hpp"

namespace discotheque {

/// Deezer answers most errors inside HTTP 200: {"error":{"code":N,...}}.
/// Code 4 (quota) is rate_limited, 700 (busy) transient, 300 (token) auth.
reply_class classify_deezer(const http_reply& r);

namespace deezer {
artist_dto map_artist(const nlohmann::json& a);
album_dto map_album(const nlohmann::json& a);
track_dto map_track(const nlohmann::json& t, const album_dto* context);
/// Removes access_token=… from a URL's query (the gateway adds our own).
std::string strip_token(const std::string& url);
} // namespace deezer

} // namespace discotheque
