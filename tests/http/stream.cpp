#define CAF_SUITE http.stream
#include "fixture.hpp"

#include "http/stream.hpp"

using namespace discotheque;

CAF_TEST(a channel queues chunks up to its bound and drops the rest) {
  auto ch = http::open_stream(2);
  CAF_CHECK(ch->push("a"));
  CAF_CHECK(ch->push("b"));
  CAF_CHECK(ch->push("c")); // dropped, but the channel is open
  CAF_CHECK_EQUAL(ch->dropped(), 1u);
  auto first = ch->pop();
  CAF_REQUIRE(first.has_value());
  CAF_CHECK_EQUAL(*first, "a");
  auto second = ch->pop();
  CAF_REQUIRE(second.has_value());
  CAF_CHECK_EQUAL(*second, "b");
  CAF_CHECK(!ch->pop().has_value());
}

CAF_TEST(a closed channel refuses chunks and wakes its server) {
  auto ch = http::open_stream(4);
  int wakes = 0;
  ch->attach([&wakes] { ++wakes; });
  CAF_CHECK_EQUAL(wakes, 1); // at attach: what was queued before
  ch->push("x");
  CAF_CHECK_EQUAL(wakes, 2);
  ch->close();
  CAF_CHECK_EQUAL(wakes, 3);
  CAF_CHECK(ch->closed());
  CAF_CHECK(!ch->push("y"));
  CAF_CHECK_EQUAL(wakes, 3);
}

CAF_TEST(the server claims a stream once by the id in its response) {
  auto ch = http::open_stream();
  auto r = http::stream_response(*ch);
  CAF_CHECK_EQUAL(r.status, 200);
  CAF_CHECK_EQUAL(r.content_type, "text/event-stream");
  std::string id;
  for (const auto& [k, v] : r.headers)
    if (k == http::stream_header)
      id = v;
  CAF_REQUIRE(!id.empty());
  auto claimed = http::claim_stream(std::stoull(id));
  CAF_CHECK(claimed == ch);
  CAF_CHECK(http::claim_stream(std::stoull(id)) == nullptr);
}
