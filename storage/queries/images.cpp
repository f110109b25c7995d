#include "storage/queries/images.hpp"

#include <nlohmann/json.hpp>

namespace discotheque::storage {

namespace {

/// The images row columns, in this order, as `i.` in every work query.
constexpr const char* image_cols
  = "i.url, i.source, i.path, i.state, i.etag, i.last_modified, i.attempts,"
    " i.next_attempt_at, i.fetched_at";

void read_image_cols(statement& st, int from, image_work& w) {
  w.url = st.opt_text(from).value_or("");
  w.source = st.opt_text(from + 1).value_or("");
  w.path = st.opt_text(from + 2).value_or("");
  w.state = st.opt_text(from + 3).value_or("");
  w.etag = st.opt_text(from + 4).value_or("");
  w.last_modified = st.opt_text(from + 5).value_or("");
  w.attempts = st.opt_int64(from + 6).value_or(0);
  w.next_attempt_at = st.opt_int64(from + 7).value_or(0);
  w.fetched_at = st.opt_int64(from + 8).value_or(0);
}

bool is_provider(const std::string& s) {
  return s == "spotify" || s == "deezer" || s == "tidal";
}

} // namespace

image_plan image_work_of(database& db, const std::string& mb_api_base) {
  image_plan plan;
  if (auto v = db.query_text("SELECT value FROM settings WHERE key ="
                             " 'library.image_download_concurrency'")) {
    try {
      auto j = nlohmann::json::parse(*v);
      if (j.is_number_integer())
        plan.concurrency = j.get<int64_t>();
    } catch (const std::exception&) {
      // a broken value is the settings API's to refuse; keep the config's
    }
  }
  auto artists = db.prepare(std::string{"SELECT a.id, "} + image_cols
                            + " FROM artists a LEFT JOIN images i ON"
                              " i.entity_type = 'artist' AND i.entity_id ="
                              " a.id WHERE a.ownership_state != 'ignored'"
                              " ORDER BY a.id");
  while (artists.step()) {
    image_work w;
    w.entity_type = "artist";
    w.entity_id = artists.int64(0);
    read_image_cols(artists, 1, w);
    if (is_provider(w.source)) {
      w.provider_url = w.url;
      w.provider_source = w.source;
    }
    plan.work.push_back(std::move(w));
  }
  auto albums = db.prepare(
    std::string{"SELECT al.id, al.mbid, al.release_group_mbid,"
                " (SELECT t.local_path FROM tracks t WHERE t.album_id = al.id"
                " AND t.local_path IS NOT NULL ORDER BY t.id LIMIT 1), "}
    + image_cols
    + " FROM albums al LEFT JOIN images i ON i.entity_type = 'album' AND"
      " i.entity_id = al.id WHERE al.ownership_state != 'ignored'"
      " ORDER BY al.id");
  auto release = db.prepare("SELECT body FROM provider_cache WHERE provider ="
                            " 'musicbrainz' AND status = 200 AND url >= ?1"
                            " AND url < ?2 ORDER BY fetched_at DESC LIMIT 1");
  while (albums.step()) {
    image_work w;
    w.entity_type = "album";
    w.entity_id = albums.int64(0);
    w.mbid = albums.opt_text(1).value_or("");
    w.release_group_mbid = albums.opt_text(2).value_or("");
    if (auto p = albums.opt_text(3)) {
      w.local_folder = std::filesystem::path{*p}.parent_path().string();
      w.local_cover = *p; // its embedded picture, unless a cover file is found
    }
    read_image_cols(albums, 4, w);
    if (is_provider(w.source)) {
      w.provider_url = w.url;
      w.provider_source = w.source;
    }
    if (!w.mbid.empty() && !mb_api_base.empty()) {
      // a lookup of this release, whatever its query string
      auto from = mb_api_base + "/release/" + w.mbid;
      release.bind(1, std::string_view{from});
      auto to = from + "\x7f";
      release.bind(2, std::string_view{to});
      if (release.step()) {
        try {
          auto body = nlohmann::json::parse(release.text(0));
          if (auto it = body.find("cover-art-archive");
              it != body.end() && it->is_object() && it->contains("front")
              && (*it)["front"].is_boolean())
            w.caa_front = (*it)["front"].get<bool>();
        } catch (const std::exception&) {
          // an unreadable cached body says nothing
        }
      }
      release.reset();
    }
    plan.work.push_back(std::move(w));
  }
  auto playlists = db.prepare(
    std::string{"SELECT p.id, p.cover_url, p.provider, "} + image_cols
    + " FROM playlists p LEFT JOIN images i ON i.entity_type = 'playlist'"
      " AND i.entity_id = p.id WHERE p.sync_mode != 'disabled' ORDER BY p.id");
  while (playlists.step()) {
    image_work w;
    w.entity_type = "playlist";
    w.entity_id = playlists.int64(0);
    read_image_cols(playlists, 3, w);
    w.provider_url = playlists.opt_text(1).value_or("");
    w.provider_source = playlists.text(2);
    if (w.provider_url.empty() && is_provider(w.source)) {
      w.provider_url = w.url;
      w.provider_source = w.source;
    }
    plan.work.push_back(std::move(w));
  }
  return plan;
}

image_plan load_image_work(const std::filesystem::path& db_path,
                           const std::string& mb_api_base) {
  auto db = database::open(db_path, database::mode::read_only);
  return image_work_of(db, mb_api_base);
}

stored_image stored_image_of(database& db, const std::string& entity_type,
                             int64_t entity_id) {
  stored_image out;
  std::string table = entity_type == "artist"  ? "artists"
                      : entity_type == "album" ? "albums"
                                               : "playlists";
  out.entity_exists = db.query_int("SELECT 1 FROM " + table + " WHERE id = ?1",
                                   {sql_value::of(entity_id)})
                        .has_value();
  if (!out.entity_exists)
    return out;
  auto st = db.prepare("SELECT path, state, content_type, etag, fetched_at"
                       " FROM images WHERE entity_type = ?1 AND entity_id ="
                       " ?2");
  st.bind(1, std::string_view{entity_type});
  st.bind(2, entity_id);
  if (st.step()) {
    out.path = st.opt_text(0).value_or("");
    out.state = st.text(1);
    out.content_type = st.opt_text(2).value_or("");
    out.etag = st.opt_text(3).value_or("");
    out.fetched_at = st.opt_int64(4).value_or(0);
  }
  return out;
}

} // namespace discotheque::storage
