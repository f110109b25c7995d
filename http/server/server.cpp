#include "http/server/server.hpp"

#include "http/stream.hpp"
#include "support/log.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <optional>

namespace discotheque::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// -- helpers -----------------------------------------------------------------

std::string url_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && hex(in[i + 1]) >= 0
        && hex(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2])));
      i += 2;
    } else if (plus_is_space && in[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

namespace {

std::map<std::string, std::string> parse_query(std::string_view q) {
  std::map<std::string, std::string> result;
  while (!q.empty()) {
    auto amp = q.find('&');
    auto part = q.substr(0, amp);
    if (!part.empty()) {
      auto eq = part.find('=');
      auto key = url_decode(part.substr(0, eq), true);
      auto value = eq == std::string_view::npos
                     ? std::string{}
                     : url_decode(part.substr(eq + 1), true);
      result.emplace(std::move(key), std::move(value));
    }
    if (amp == std::string_view::npos)
      break;
    q.remove_prefix(amp + 1);
  }
  return result;
}

struct shared_context {
  server_options opts;
  handler on_request;
  std::shared_ptr<spdlog::logger> log;
  /// The streams being served, so that stop() can close them.
  mutable std::mutex streams_mtx;
  mutable std::vector<std::weak_ptr<stream_channel>> streams;

  void track(const std::shared_ptr<stream_channel>& ch) const {
    std::lock_guard<std::mutex> guard{streams_mtx};
    streams.erase(std::remove_if(streams.begin(), streams.end(),
                                 [](const auto& w) { return w.expired(); }),
                  streams.end());
    streams.push_back(ch);
  }

  void close_streams() const {
    std::lock_guard<std::mutex> guard{streams_mtx};
    for (auto& w : streams)
      if (auto ch = w.lock())
        ch->close();
    streams.clear();
  }
};

class session : public std::enable_shared_from_this<session> {
public:
  session(tcp::socket&& socket, std::shared_ptr<const shared_context> ctx)
    : stream_(std::move(socket)), ctx_(std::move(ctx)) {
  }

  void run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&session::do_read,
                                            shared_from_this()));
  }

private:
  void do_read() {
    parser_.emplace();
    parser_->body_limit(ctx_->opts.max_body_bytes);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(ctx_->opts.idle_timeout_s));
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&session::on_read,
                                                shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout
        || ec == net::error::operation_aborted
        || ec == net::error::connection_reset || ec == net::error::eof)
      return do_close();
    if (ec == bhttp::error::body_limit)
      return send_error(413, "payload_too_large",
                        "the request body exceeds the limit of "
                          + std::to_string(ctx_->opts.max_body_bytes)
                          + " bytes");
    if (ec == bhttp::error::header_limit)
      return send_error(431, "headers_too_large", "request headers too large");
    if (ec
        && ec.category()
             == bhttp::make_error_code(bhttp::error::end_of_stream).category())
      return send_error(400, "bad_request",
                        "malformed HTTP request: " + ec.message());
    if (ec)
      return do_close();
    auto req = parser_->release();
    keep_alive_ = req.keep_alive();
    version_ = req.version();
    head_ = req.method() == bhttp::verb::head;
    request r;
    r.method = std::string{req.method_string()};
    r.target = std::string{req.target()};
    std::string_view target{r.target};
    auto qmark = target.find('?');
    r.path = url_decode(target.substr(0, qmark), false);
    if (qmark != std::string_view::npos)
      r.query = parse_query(target.substr(qmark + 1));
    for (const auto& field : req) {
      std::string name{field.name_string()};
      for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = std::string{field.value()};
    }
    r.body = std::move(req.body());
    stream_.expires_never();
    auto self = shared_from_this();
    try {
      ctx_->on_request(std::move(r), responder{[self](response res) {
                         net::post(self->stream_.get_executor(),
                                   [self, res = std::move(res)]() mutable {
                                     self->write(std::move(res));
                                   });
                       }});
    } catch (const std::exception& e) {
      ctx_->log->error("request handler threw: {}", e.what());
      send_error(500, "internal_error", "internal error");
    }
  }

  void send_error(int status, const char* code, const std::string& message) {
    keep_alive_ = false;
    response res;
    res.status = status;
    nlohmann_escape(res.body, code, message);
    write(std::move(res));
  }

  static void nlohmann_escape(std::string& out, const char* code,
                              const std::string& message) {
    out = "{\"error\":\"";
    out += code;
    out += "\",\"message\":\"";
    for (char c : message) {
      if (c == '"' || c == '\\') {
        out.push_back('\\');
        out.push_back(c);
      } else if (static_cast<unsigned char>(c) < 0x20) {
        out.push_back(' ');
      } else {
        out.push_back(c);
      }
    }
    out += "\"}";
  }

  void write(response r) {
    for (auto i = r.headers.begin(); i != r.headers.end(); ++i)
      if (i->first == stream_header) {
        auto ch = claim_stream(std::strtoull(i->second.c_str(), nullptr, 10));
        r.headers.erase(i);
        if (ch && !head_)
          return start_stream(std::move(r), std::move(ch));
        if (ch)
          ch->close();
        break;
      }
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
      static_cast<bhttp::status>(r.status), version_ ? version_ : 11);
    res->set(bhttp::field::server, "Discotheque/" DISCOTHEQUE_VERSION);
    res->set(bhttp::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers)
      res->set(k, v);
    res->keep_alive(keep_alive_);
    res->body() = std::move(r.body);
    res->prepare_payload();
    // HEAD: the headers of GET (Content-Length included), never a body, or a
    // keep-alive client would read it as the start of the next response.
    if (head_)
      res->body().clear();
    stream_.expires_after(std::chrono::seconds(ctx_->opts.idle_timeout_s));
    bhttp::async_write(stream_, *res,
                       [self = shared_from_this(), res](beast::error_code ec,
                                                        std::size_t) {
                         self->on_write(ec);
                       });
  }

  void on_write(beast::error_code ec) {
    if (ec || !keep_alive_)
      return do_close();
    do_read();
  }

  // -- streaming (http/stream.hpp) --------------------------------------------

  /// Writes the head of a streaming response, then the channel's chunks as
  /// they come, until the client goes away or the channel closes. The body
  /// ends with the connection (no Content-Length, Connection: close).
  void start_stream(response r, std::shared_ptr<stream_channel> ch) {
    channel_ = std::move(ch);
    ctx_->track(channel_);
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " "
                       + std::string{bhttp::obsolete_reason(
                         static_cast<bhttp::status>(r.status))}
                       + "\r\nServer: Discotheque/" DISCOTHEQUE_VERSION
                         "\r\nContent-Type: "
                       + r.content_type + "\r\nConnection: close\r\n";
    for (auto& [k, v] : r.headers)
      head += k + ": " + v + "\r\n";
    head += "\r\n";
    stream_.expires_never();
    // The client closing its side ends the stream at once (not at the next
    // event): a read on the raw socket, which the stream's timer leaves alone.
    stream_.socket().async_wait(tcp::socket::wait_read,
                                [self = shared_from_this()](beast::error_code) {
                                  self->channel_->close();
                                });
    std::weak_ptr<session> weak = shared_from_this();
    auto exec = stream_.get_executor();
    channel_->attach([weak, exec] {
      net::post(exec, [weak] {
        if (auto s = weak.lock())
          s->pump();
      });
    });
    write_chunk(std::move(head));
  }

  void write_chunk(std::string chunk) {
    writing_ = true;
    auto buf = std::make_shared<std::string>(std::move(chunk));
    // A client that stops reading: the write times out and ends the stream.
    stream_.expires_after(std::chrono::seconds(60));
    net::async_write(stream_, net::buffer(*buf),
                     [self = shared_from_this(), buf](beast::error_code ec,
                                                      std::size_t) {
                       self->writing_ = false;
                       self->stream_.expires_never();
                       if (ec) {
                         self->channel_->close();
                         return self->do_close();
                       }
                       self->pump();
                     });
  }

  void pump() {
    if (writing_ || !channel_)
      return;
    if (auto chunk = channel_->pop())
      return write_chunk(std::move(*chunk));
    if (channel_->closed())
      do_close();
  }

  void do_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<const shared_context> ctx_;
  std::shared_ptr<stream_channel> channel_;
  bool writing_ = false;
  bool keep_alive_ = false;
  bool head_ = false;
  unsigned version_ = 11;
};

} // namespace

struct server::impl {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::shared_ptr<shared_context> ctx = std::make_shared<shared_context>();
  std::vector<std::thread> threads;
  std::once_flag stopped;
  bool bound = false;
  /// accept() keeps failing (e.g. no file descriptors left): wait before the
  /// next try, 10 ms doubling to 1 s, and log once per 10 s, not per failure.
  net::steady_timer backoff_timer{ioc};
  std::chrono::milliseconds backoff{0};
  std::chrono::steady_clock::time_point last_log{};
  int64_t failures_since_log = 0;

  void do_accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec,
                                                        tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted || !acceptor.is_open())
          return;
        return accept_failed(ec);
      }
      backoff = std::chrono::milliseconds{0};
      // Small JSON answers: do not wait for Nagle.
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<session>(std::move(socket), ctx)->run();
      do_accept();
    });
  }

  void accept_failed(const beast::error_code& ec) {
    using namespace std::chrono;
    ++failures_since_log;
    auto now = steady_clock::now();
    if (now - last_log >= seconds(10)) {
      ctx->log->warn("accept failed {} time(s) ({}); backing off",
                     failures_since_log, ec.message());
      failures_since_log = 0;
      last_log = now;
    }
    backoff = backoff.count() == 0 ? milliseconds(10)
                                   : std::min(backoff * 2, milliseconds(1000));
    backoff_timer.expires_after(backoff);
    backoff_timer.async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec)
        do_accept();
    });
  }
};

server::server(server_options opts, handler h)
  : impl_(std::make_unique<impl>()) {
  impl_->ctx->opts = std::move(opts);
  impl_->ctx->on_request = std::move(h);
  impl_->ctx->log = log::get("http");
}

server::~server() {
  stop();
}

void server::bind() {
  if (impl_->bound)
    return;
  auto& o = impl_->ctx->opts;
  auto where = o.host + ":" + std::to_string(o.port);
  beast::error_code ec;
  auto addr = net::ip::make_address(o.host, ec);
  if (ec) {
    // Accept host names such as "localhost" too.
    tcp::resolver resolver{impl_->ioc};
    auto results = resolver.resolve(o.host, std::to_string(o.port), ec);
    if (ec || results.empty())
      throw std::runtime_error("cannot listen on " + where + ": unknown host");
    addr = results.begin()->endpoint().address();
  }
  tcp::endpoint ep{addr, o.port};
  auto fail = [&](const char* what) {
    throw std::runtime_error("cannot listen on " + where + ": " + what + ": "
                             + ec.message());
  };
  impl_->acceptor.open(ep.protocol(), ec);
  if (ec)
    fail("open");
  impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  impl_->acceptor.bind(ep, ec);
  if (ec)
    fail("bind");
  impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    fail("listen");
  impl_->bound = true;
}

void server::start() {
  bind();
  auto& o = impl_->ctx->opts;
  impl_->do_accept();
  for (int i = 0; i < std::max(1, o.threads); ++i)
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ctx->log->info("listening on http://{}:{}", o.host, port());
}

void server::stop() {
  std::call_once(impl_->stopped, [this] {
    impl_->ctx->close_streams();
    net::post(impl_->ioc, [this] {
      beast::error_code ec;
      impl_->acceptor.close(ec);
    });
    impl_->ioc.stop();
    for (auto& t : impl_->threads)
      if (t.joinable())
        t.join();
  });
}

uint16_t server::port() const {
  beast::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? impl_->ctx->opts.port : ep.port();
}

} // namespace discotheque::http
