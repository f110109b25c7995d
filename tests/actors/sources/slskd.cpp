#define CAF_SUITE actors.sources.slskd
#include "fixture.hpp"

#include "actors/sources/providers.hpp"
#include "actors/sources/slskd.hpp"
#include "config/config.hpp"

using namespace discotheque;
using namespace discotheque::slskd;
using nlohmann::json;

namespace {

// Shapes of slskd's API v0 (slskd/slskd at 5770c7e4, Listenarr's
// captured bodies): null properties omitted, flag states comma-joined.
const char* const responses_body = R"([
  {"fileCount":2,"files":[
     {"bitDepth":16,"code":1,"extension":"","filename":"@@music\\Daft Punk\\Discovery\\01 - One More Time.flac","length":320,"sampleRate":44100,"size":36000000,"isLocked":false},
     {"bitRate":320,"code":1,"extension":"mp3","filename":"@@music\\Daft Punk\\Discovery\\02 - Aerodynamic.mp3","isVariableBitRate":false,"length":212,"size":8000000,"isLocked":false}],
   "hasFreeUploadSlot":true,"lockedFileCount":1,
   "lockedFiles":[{"code":1,"extension":"flac","filename":"@@music\\Daft Punk\\Discovery\\03 - Digital Love.flac","size":30000000,"isLocked":true}],
   "queueLength":0,"token":153821,"uploadSpeed":1200000,"username":"alice"},
  {"fileCount":0,"files":[],"hasFreeUploadSlot":false,"lockedFileCount":0,"lockedFiles":[],"queueLength":7,"token":1,"uploadSpeed":1000,"username":"bob"}
])";

} // namespace

CAF_TEST(the descriptor is a download client without tasks) {
  const auto* d = find_provider("slskd");
  CAF_REQUIRE(d != nullptr);
  CAF_CHECK(d->kind == provider_kind::download_client);
  CAF_CHECK(d->tasks.empty());
  CAF_CHECK(!d->enabled_by_default);
  CAF_CHECK(d->auth == auth_mode::header_key);
  CAF_CHECK_EQUAL(d->auth_param, "X-API-Key");
  auto names = provider_names();
  CAF_CHECK(std::find(names.begin(), names.end(), "slskd") == names.end());
}

CAF_TEST(a search is sent with its timeout in milliseconds) {
  auto body = json::parse(search_body("abc", "daft punk discovery", 15000));
  CAF_CHECK_EQUAL(body["searchText"].get<std::string>(), "daft punk discovery");
  CAF_CHECK_EQUAL(body["searchTimeout"].get<int64_t>(), 15000);
  CAF_CHECK_EQUAL(body["id"].get<std::string>(), "abc");
}

CAF_TEST(a search is complete only when slskd says so) {
  auto running = parse_search(json::parse(
    R"({"fileCount":0,"id":"x","isComplete":false,"lockedFileCount":0,)"
    R"("responseCount":0,"responses":[],"searchText":"a",)"
    R"("startedAt":"2026-04-07T10:54:56.5866789Z","state":"InProgress",)"
    R"("token":153821})"));
  CAF_REQUIRE(running.has_value());
  CAF_CHECK(!running->complete);
  auto done = parse_search(json::parse(
    R"({"id":"x","isComplete":true,"state":"Completed, ResponseLimitReached",)"
    R"("responseCount":100,"fileCount":2000})"));
  CAF_REQUIRE(done.has_value());
  CAF_CHECK(done->complete);
  CAF_CHECK_EQUAL(done->response_count, 100);
  CAF_CHECK(!parse_search(json::parse("[]")).has_value());
}

CAF_TEST(responses give every file with the peer attributes) {
  auto files = parse_responses(json::parse(responses_body));
  CAF_REQUIRE_EQUAL(files.size(), 3u);
  CAF_CHECK_EQUAL(files[0].username, "alice");
  CAF_CHECK_EQUAL(files[0].filename,
                  "@@music\\Daft Punk\\Discovery\\01 - One More Time.flac");
  CAF_CHECK_EQUAL(files[0].extension, "flac");
  CAF_CHECK_EQUAL(files[0].bit_depth, 16);
  CAF_CHECK_EQUAL(files[0].length_s, 320);
  CAF_CHECK(files[0].free_slot);
  CAF_CHECK_EQUAL(files[0].upload_speed, 1200000);
  CAF_CHECK_EQUAL(files[1].bitrate_kbps, 320);
  CAF_CHECK(files[2].locked);
  CAF_CHECK(!files[0].locked);
  CAF_CHECK(parse_responses(json::parse("{}")).empty());
}

CAF_TEST(transfer states are read as flags) {
  CAF_CHECK(phase_of("Completed, Succeeded", 10, 10)
            == transfer_phase::succeeded);
  CAF_CHECK(phase_of("Completed, TimedOut", 0, 10) == transfer_phase::failed);
  // A 0-byte or short "success" is no download.
  CAF_CHECK(phase_of("Completed, Succeeded", 0, 10) == transfer_phase::failed);
  CAF_CHECK(phase_of("Completed, Succeeded", 5, 10) == transfer_phase::failed);
  CAF_CHECK(phase_of("Completed", 10, 10) == transfer_phase::failed);
  CAF_CHECK(phase_of("Queued, Remotely", 0, 10)
            == transfer_phase::queued_remotely);
  CAF_CHECK(phase_of("Queued, Locally", 0, 10)
            == transfer_phase::queued_locally);
  CAF_CHECK(phase_of("Requested", 0, 10) == transfer_phase::requested);
  CAF_CHECK(phase_of("Initializing", 0, 10) == transfer_phase::requested);
  CAF_CHECK(phase_of("InProgress", 3, 10) == transfer_phase::in_progress);
  CAF_CHECK_EQUAL(std::string{to_string(transfer_phase::queued_remotely)},
                  "queued_remotely");
}

CAF_TEST(transfers are read from the grouped list and the enqueue answer) {
  auto grouped = json::parse(R"([{"username":"alice","directories":[
    {"directory":"@@music\\Daft Punk\\Discovery","fileCount":1,"files":[
      {"id":"6b3f","username":"alice","direction":"Download",
       "filename":"@@music\\Daft Punk\\Discovery\\01 - One More Time.flac",
       "size":36000000,"startOffset":0,"state":"Completed, Succeeded",
       "requestedAt":"2026-04-07T10:55:00.1","bytesTransferred":36000000,
       "averageSpeed":1000000,"bytesRemaining":0,"percentComplete":100,
       "attempts":1,"removed":false}]}]}])");
  auto ts = parse_transfers(grouped);
  CAF_REQUIRE_EQUAL(ts.size(), 1u);
  CAF_CHECK_EQUAL(ts[0].id, "6b3f");
  CAF_CHECK(ts[0].phase == transfer_phase::succeeded);
  auto one = parse_transfers(grouped[0]);
  CAF_CHECK_EQUAL(one.size(), 1u);
  auto enq = json::parse(R"({"enqueued":[{"id":"77","username":"alice",
    "filename":"a\\b.flac","size":5,"state":"Requested","bytesTransferred":0}],
    "failed":[{}]})");
  auto t = enqueued_transfer(enq, "a\\b.flac");
  CAF_REQUIRE(t.has_value());
  CAF_CHECK_EQUAL(t->id, "77");
  CAF_CHECK(!enqueued_transfer(enq, "other").has_value());
  CAF_CHECK(!enqueued_transfer(json::parse("null"), "a\\b.flac").has_value());
}

CAF_TEST(an enqueue names the exact remote file) {
  auto body = json::parse(enqueue_body("@@m\\A\\01 x.flac", 42));
  CAF_REQUIRE(body.is_array());
  CAF_CHECK_EQUAL(body[0]["filename"].get<std::string>(), "@@m\\A\\01 x.flac");
  CAF_CHECK_EQUAL(body[0]["size"].get<int64_t>(), 42);
  CAF_CHECK_EQUAL(url_segment("dj ünïcode/x"), "dj%20%C3%BCn%C3%AFcode%2Fx");
}

CAF_TEST(a finished file is found in the downloads folder) {
  auto p = local_file_of("/srv/slskd/downloads",
                         "@@music\\Daft Punk\\Discovery\\01 - One.flac");
  CAF_CHECK_EQUAL(p.string(), "/srv/slskd/downloads/Discovery/01 - One.flac");
}

CAF_TEST(an offline peer does not open the breaker) {
  http_reply r;
  r.status = 500;
  r.body = "User alice appears to be offline";
  CAF_CHECK(classify_slskd(r) == reply_class::final_error);
  r.status = 429;
  r.body = "Only one concurrent operation is permitted";
  CAF_CHECK(classify_slskd(r) == reply_class::rate_limited);
}

CAF_TEST(the settings come from providers slskd) {
  auto cfg = config::from_json(
    json::parse(R"({"providers":{"slskd":{"enabled":true,)"
                R"("api_base":"http://127.0.0.1:5030/api/v0/","timeout_s":7,)"
                R"("api_key":"0123456789abcdef"}}})"));
  auto s = settings_of(cfg);
  CAF_CHECK(s.enabled);
  CAF_CHECK_EQUAL(s.api_base, "http://127.0.0.1:5030/api/v0");
  CAF_CHECK_EQUAL(s.timeout_ms, 7000);
  // The key goes where the gateway takes a static key from.
  auto key = cfg.providers.at("slskd").access_token;
  CAF_CHECK_EQUAL(key, "0123456789abcdef");
  auto off = settings_of(config::from_json(json::parse("{}")));
  CAF_CHECK(!off.enabled);
  CAF_CHECK_EQUAL(off.api_base, "http://127.0.0.1:5030/api/v0");
}
