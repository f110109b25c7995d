#define CAF_SUITE storage.writes.images
#include "storage/migrated_db.hpp"

#include "storage/writes/images.hpp"

using namespace discotheque;
using namespace discotheque::storage;

namespace {

constexpr int64_t day = int64_t{24} * 3600 * 1000;

struct fixture : test::migrated_db {
  fixture() {
    db.exec("INSERT INTO albums(id, title, normalized_title) VALUES"
            " (1, 'A', 'a')");
    db.exec("INSERT INTO playlists(id, name, provider, provider_id) VALUES"
            " (5, 'P', 'spotify', 'sp5')");
  }

  std::string row(const std::string& type = "album", int64_t id = 1) {
    return db
      .query_text("SELECT coalesce(url,'-') || '|' || coalesce(source,'-')"
                  " || '|' || state || '|' || coalesce(path,'-') || '|' ||"
                  " coalesce(last_error,'-') || '|' || attempts || '|' ||"
                  " coalesce(next_attempt_at,'-') FROM images WHERE"
                  " entity_type = ?1 AND entity_id = ?2",
                  {sql_value::of(type), sql_value::of(id)})
      .value_or("<no row>");
  }

  image_outcome outcome(std::string state, std::string error = {}) {
    image_outcome o;
    o.entity_type = "album";
    o.entity_id = 1;
    o.state = std::move(state);
    o.url = "https://x/1.jpg";
    o.source = "deezer";
    o.error = std::move(error);
    if (o.state == "downloaded") {
      o.path = "/data/images/albums/1.jpg";
      o.content_type = "image/jpeg";
      o.etag = "\"v1\"";
      o.last_modified = "Tue, 01 Dec 2026 10:00:00 GMT";
      o.bytes = 123;
    }
    return o;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(image_writes, fixture)

CAF_TEST(a found url is url_found and a new url starts afresh) {
  apply(set_image_url("album", 1, "https://x/1.jpg", "deezer", 100));
  CAF_CHECK_EQUAL(row(), "https://x/1.jpg|deezer|url_found|-|-|0|-");
  apply(record_image_outcome(outcome("downloaded"), 200));
  CAF_CHECK_EQUAL(row(),
                  "https://x/1.jpg|deezer|downloaded|/data/images/albums/"
                  "1.jpg|-|0|-");
  CAF_CHECK_EQUAL(db.query_text("SELECT etag || ' ' || content_type || ' ' ||"
                                " bytes || ' ' || fetched_at FROM images")
                    .value_or(""),
                  "\"v1\" image/jpeg 123 200");
  // the same url again: the file and state stay
  apply(set_image_url("album", 1, "https://x/1.jpg", "deezer", 300));
  CAF_CHECK_EQUAL(row(),
                  "https://x/1.jpg|deezer|downloaded|/data/images/albums/"
                  "1.jpg|-|0|-");
  // another url: to be fetched
  apply(set_image_url("album", 1, "https://caa/1.jpg", "coverartarchive", 400));
  CAF_CHECK_EQUAL(row(), "https://caa/1.jpg|coverartarchive|url_found|/data/"
                         "images/albums/1.jpg|-|0|-");
}

CAF_TEST(failures back off one day then seven then stop) {
  CAF_CHECK_EQUAL(image_retry_at(1, 0), day);
  CAF_CHECK_EQUAL(image_retry_at(2, 0), 7 * day);
  CAF_CHECK_EQUAL(image_retry_at(3, 0), 0);
  apply(set_image_url("album", 1, "https://x/1.jpg", "deezer", 0));
  apply(record_image_outcome(outcome("failed", "HTTP 500"), 1000));
  CAF_CHECK_EQUAL(row(), "https://x/1.jpg|deezer|failed|-|HTTP 500|1|"
                           + std::to_string(1000 + day));
  apply(record_image_outcome(outcome("failed", "timed out"), 2000));
  CAF_CHECK_EQUAL(row(), "https://x/1.jpg|deezer|failed|-|timed out|2|"
                           + std::to_string(2000 + 7 * day));
  apply(record_image_outcome(outcome("failed", "HTTP 500"), 3000));
  CAF_CHECK_EQUAL(row(), "https://x/1.jpg|deezer|failed|-|HTTP 500|3|-");
  // the same url keeps the count; a new url gets new attempts
  apply(set_image_url("album", 1, "https://x/1.jpg", "deezer", 4000));
  CAF_CHECK_EQUAL(row(), "https://x/1.jpg|deezer|failed|-|HTTP 500|3|-");
  apply(set_image_url("album", 1, "https://y/1.jpg", "spotify", 5000));
  CAF_CHECK_EQUAL(row(), "https://y/1.jpg|spotify|url_found|-|HTTP 500|0|-");
  // a success clears the error and the attempts
  apply(record_image_outcome(outcome("downloaded"), 6000));
  CAF_CHECK_EQUAL(row(),
                  "https://x/1.jpg|deezer|downloaded|/data/images/albums/"
                  "1.jpg|-|0|-");
}

CAF_TEST(a first failure without a row creates it) {
  apply(record_image_outcome(outcome("failed", "not an image"), 10));
  CAF_CHECK_EQUAL(row(), "https://x/1.jpg|deezer|failed|-|not an image|1|"
                           + std::to_string(10 + day));
}

CAF_TEST(none is rechecked in a week and keeps a file it had) {
  apply(record_image_outcome(outcome("none"), 10));
  CAF_CHECK_EQUAL(row(), "-|-|none|-|no image found|0|"
                           + std::to_string(10 + 7 * day));
  apply(record_image_outcome(outcome("downloaded"), 20));
  apply(record_image_outcome(outcome("none"), 30));
  CAF_CHECK_EQUAL(
    db.query_text("SELECT state || ' ' || path FROM images").value_or(""),
    "downloaded /data/images/albums/1.jpg");
}

CAF_TEST(a playlist cover path follows its image) {
  auto o = outcome("downloaded");
  o.entity_type = "playlist";
  o.entity_id = 5;
  o.path = "/data/images/playlists/5.jpg";
  apply(record_image_outcome(o, 10));
  CAF_CHECK_EQUAL(
    db.query_text("SELECT cover_path FROM playlists WHERE id = 5").value_or(""),
    "/data/images/playlists/5.jpg");
}

CAF_TEST(a provider link is kept only where no image url is known) {
  // none yet: the link is the url to fetch
  db.run(offer_image_url("album", 1, "https://sp/1.jpg", "spotify"));
  CAF_CHECK_EQUAL(row(), "https://sp/1.jpg|spotify|url_found|-|-|0|-");
  // another provider's link later: the first stays
  db.run(offer_image_url("album", 1, "https://dz/1.jpg", "deezer"));
  CAF_CHECK_EQUAL(row(), "https://sp/1.jpg|spotify|url_found|-|-|0|-");
  // a Cover Art Archive url found by enrich_images is never replaced
  apply(set_image_url("album", 1, "https://caa/1.jpg", "coverartarchive", 5));
  db.run(offer_image_url("album", 1, "https://sp/2.jpg", "spotify"));
  CAF_CHECK_EQUAL(row(), "https://caa/1.jpg|coverartarchive|url_found|-|-|0|-");
  // a row without url (nothing found anywhere) takes the link
  apply(record_image_outcome(outcome("none"), 10));
  db.exec("UPDATE images SET url = NULL, source = NULL");
  db.run(offer_image_url("album", 1, "https://sp/3.jpg", "spotify"));
  CAF_CHECK_EQUAL(row().substr(0, 34), "https://sp/3.jpg|spotify|url_found");
  // only the cloud providers' links, and never an empty one
  db.run(offer_image_url("artist", 9, "file:///x.jpg", "local"));
  db.run(offer_image_url("artist", 9, "https://mb/x", "musicbrainz"));
  db.run(offer_image_url("artist", 9, "", "spotify"));
  CAF_CHECK_EQUAL(row("artist", 9), "<no row>");
}

CAF_TEST_FIXTURE_SCOPE_END()
