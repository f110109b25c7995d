// spotify_source: the Spotify Web API (api.spotify.com/v1) behind the source
// interface. Wire notes: liked = /me/tracks, saved = /me/albums, followed =
// /me/following?type=artist (cursor paging), playlists = /me/playlists,
// playlist items = /playlists/{id}/items (falling back to /tracks), artist
// albums = /artists/{id}/albums (limit 10 since Feb 2026).
#pragma once

#include "actors/sources/source.hpp"

namespace discotheque {

namespace spotify {
artist_dto map_artist(const nlohmann::json& a);
album_dto map_album(const nlohmann::json& a);
track_dto map_track(const nlohmann::json& t, const album_dto* context);
} // namespace spotify

} // namespace discotheque
