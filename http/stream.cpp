#include "http/stream.hpp"

#include <atomic>
#include <map>
#include <utility>

namespace discotheque::http {

stream_channel::stream_channel(uint64_t id, size_t max_chunks)
  : id_(id), max_chunks_(max_chunks == 0 ? 1 : max_chunks) {
}

bool stream_channel::push(std::string chunk) {
  std::function<void()> wake;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (closed_)
      return false;
    if (queue_.size() >= max_chunks_) {
      ++dropped_;
      return true;
    }
    queue_.push_back(std::move(chunk));
    wake = wake_;
  }
  if (wake)
    wake();
  return true;
}

void stream_channel::close() {
  std::function<void()> wake;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (closed_)
      return;
    closed_ = true;
    wake = std::move(wake_);
    wake_ = nullptr;
  }
  if (wake)
    wake();
}

bool stream_channel::closed() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return closed_;
}

uint64_t stream_channel::dropped() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return dropped_;
}

void stream_channel::attach(std::function<void()> wake) {
  bool now = false;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (!closed_)
      wake_ = wake;
    now = true;
  }
  if (now && wake)
    wake(); // what was queued before the server claimed it
}

std::optional<std::string> stream_channel::pop() {
  std::lock_guard<std::mutex> guard{mtx_};
  if (queue_.empty())
    return std::nullopt;
  auto chunk = std::move(queue_.front());
  queue_.pop_front();
  return chunk;
}

namespace {

struct stream_table {
  std::mutex mtx;
  std::map<uint64_t, std::weak_ptr<stream_channel>> open;
  uint64_t next_id = 1;
};

stream_table& table() {
  static stream_table t;
  return t;
}

} // namespace

std::shared_ptr<stream_channel> open_stream(size_t max_chunks) {
  auto& t = table();
  std::lock_guard<std::mutex> guard{t.mtx};
  // Forget channels nobody holds any more (never claimed).
  for (auto i = t.open.begin(); i != t.open.end();)
    i = i->second.expired() ? t.open.erase(i) : std::next(i);
  auto ch = std::make_shared<stream_channel>(t.next_id++, max_chunks);
  t.open[ch->id()] = ch;
  return ch;
}

response stream_response(const stream_channel& ch, std::string content_type) {
  response r;
  r.status = 200;
  r.content_type = std::move(content_type);
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("X-Accel-Buffering", "no");
  r.headers.emplace_back(stream_header, std::to_string(ch.id()));
  return r;
}

std::shared_ptr<stream_channel> claim_stream(uint64_t id) {
  auto& t = table();
  std::lock_guard<std::mutex> guard{t.mtx};
  auto i = t.open.find(id);
  if (i == t.open.end())
    return nullptr;
  auto ch = i->second.lock();
  t.open.erase(i);
  return ch;
}

} // namespace discotheque::http
