// A streaming HTTP response (Server-Sent Events), without Beast: a bounded
// queue of chunks that one producer (the event bus) fills and the server's
// session drains onto its socket.
//
// How a handler answers with a stream without a new responder kind: it
// opens a channel (open_stream), hands it to whoever produces the chunks,
// and replies stream_response(channel); the server recognises the internal
// header of that response, claims the channel by id (claim_stream), writes
// the head and then the chunks as they come. The channel closes when the
// client goes away, when the server stops, or when the producer closes it.
#pragma once

#include "http/exchange.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace discotheque::http {

class stream_channel {
public:
  stream_channel(uint64_t id, size_t max_chunks);

  uint64_t id() const {
    return id_;
  }

  /// Queues `chunk` (from any thread). A full queue drops it (counted): a
  /// slow client loses events, it never blocks the producer. False when the
  /// channel is closed, so the producer can let go of it.
  bool push(std::string chunk);

  /// Closes it (from either side); the server then ends the response.
  void close();
  bool closed() const;

  /// Chunks dropped because the client did not keep up.
  uint64_t dropped() const;

  // -- the server's side --

  /// `wake` is called (from any thread) after a push or close, so the
  /// session looks at the queue again. Called once, by the server.
  void attach(std::function<void()> wake);

  /// The next queued chunk, or none.
  std::optional<std::string> pop();

private:
  const uint64_t id_;
  const size_t max_chunks_;
  mutable std::mutex mtx_;
  std::deque<std::string> queue_;
  std::function<void()> wake_;
  bool closed_ = false;
  uint64_t dropped_ = 0;
};

/// A new channel, findable by claim_stream() until the server claims it.
std::shared_ptr<stream_channel> open_stream(size_t max_chunks = 256);

/// The response that tells the server to stream `ch` (status 200, the
/// content type, no caching).
response stream_response(const stream_channel& ch,
                         std::string content_type = "text/event-stream");

/// The internal header stream_response() sets (never sent to the client).
inline constexpr const char* stream_header = "x-discotheque-stream";

/// The channel with this id, taken out of the table; null if none.
std::shared_ptr<stream_channel> claim_stream(uint64_t id);

} // namespace discotheque::http
