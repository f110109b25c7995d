#include "http/api/metrics.hpp"

#include "actors/api.hpp"
#include "actors/inspect.hpp"
#include "messages/events.hpp"

#include <caf/actor_cast.hpp>

#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <map>
#include <memory>
#include <utility>

namespace discotheque::http {

namespace {

using labels = std::vector<std::pair<std::string, std::string>>;

std::string number(double x) {
  if (std::isnan(x))
    return "NaN";
  if (std::isinf(x))
    return x > 0 ? "+Inf" : "-Inf";
  if (x == std::floor(x) && std::fabs(x) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", x);
    return buf;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", x);
  return buf;
}

std::string escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

std::string label_text(const labels& ls) {
  if (ls.empty())
    return "";
  std::string out = "{";
  for (size_t i = 0; i < ls.size(); ++i) {
    if (i > 0)
      out += ",";
    out += ls[i].first + "=\"" + escape(ls[i].second) + "\"";
  }
  return out + "}";
}

/// The families in the order they were first used; each one's samples
/// together, as the format requires.
class exposition {
public:
  void sample(const std::string& name, const char* type, const char* help,
              const labels& ls, double value) {
    family(name, type, help)
      .lines.push_back(name + label_text(ls) + " " + number(value));
  }

  /// `h` as histogram_json makes it (bounds, counts, sum, count), its
  /// values multiplied by `scale` (ms → s ...).
  void histogram(const std::string& name, const char* help, const labels& ls,
                 const nlohmann::json& h, double scale) {
    if (!h.is_object() || !h.contains("bounds") || !h.contains("counts"))
      return;
    auto& f = family(name, "histogram", help);
    const auto& bounds = h["bounds"];
    const auto& counts = h["counts"];
    double cumulative = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
      cumulative += counts[i].get<double>();
      auto le = i < bounds.size() ? number(bounds[i].get<double>() * scale)
                                  : std::string{"+Inf"};
      auto with_le = ls;
      with_le.emplace_back("le", le);
      f.lines.push_back(name + "_bucket" + label_text(with_le) + " "
                        + number(cumulative));
    }
    f.lines.push_back(name + "_sum" + label_text(ls) + " "
                      + number(h.value("sum", 0.0) * scale));
    f.lines.push_back(name + "_count" + label_text(ls) + " "
                      + number(h.value("count", 0.0)));
  }

  std::string text() const {
    std::string out;
    for (const auto& f : families_) {
      out += "# HELP " + f.name + " " + f.help + "\n";
      out += "# TYPE " + f.name + " " + f.type + "\n";
      for (const auto& l : f.lines)
        out += l + "\n";
    }
    return out;
  }

private:
  struct fam {
    std::string name;
    std::string type;
    std::string help;
    std::vector<std::string> lines;
  };

  fam& family(const std::string& name, const char* type, const char* help) {
    auto it = index_.find(name);
    if (it != index_.end())
      return families_[it->second];
    index_[name] = families_.size();
    families_.push_back(fam{name, type, help, {}});
    return families_.back();
  }

  std::vector<fam> families_;
  std::map<std::string, size_t> index_;
};

double num(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number())
    return 0;
  return j[key].get<double>();
}

/// One sample per field of an actor's details: name, type, help, the
/// details' field and a factor (ms -> s ...).
struct field_metric {
  const char* name;
  const char* type;
  const char* help;
  const char* field;
  double scale;
};

void fields(exposition& m, const nlohmann::json& d, const labels& ls,
            std::initializer_list<field_metric> list) {
  for (const auto& f : list)
    m.sample(f.name, f.type, f.help, ls, num(d, f.field) * f.scale);
}

void gateway_metrics(exposition& m, const actor_answer& a,
                     const nlohmann::json& d) {
  labels p{{"provider", d.value("provider", a.name)}};
  fields(m, d, p,
         {{"discotheque_provider_requests_total", "counter",
           "HTTP requests sent to the provider (retries included).", "requests",
           1},
          {"discotheque_provider_errors_total", "counter",
           "Timeouts, connection errors and 5xx answers of the provider.",
           "transient_errors", 1},
          {"discotheque_provider_rate_limited_total", "counter",
           "429 (or quota) answers of the provider.", "rate_limited", 1},
          {"discotheque_provider_retries_total", "counter",
           "Requests to the provider sent again after an error or a 429.",
           "retries", 1},
          {"discotheque_provider_failed_calls_total", "counter",
           "Calls to the provider that ended in an error for the caller.",
           "failed_calls", 1},
          {"discotheque_provider_limiter_wait_seconds_total", "counter",
           "Time the provider's calls waited for the rate limiter.",
           "limiter_wait_ms", 1e-3},
          {"discotheque_provider_calls_in_flight", "gauge",
           "Calls to the provider not answered yet.", "calls_in_flight", 1}});
  m.histogram("discotheque_provider_request_duration_seconds",
              "Time of one HTTP request to the provider.", p,
              d.value("latency_ms_histogram", nlohmann::json{}), 1e-3);
  if (!d.contains("breaker") || !d["breaker"].is_object())
    return;
  auto state = d["breaker"].value("state", std::string{});
  for (const char* s : {"closed", "open", "half_open"}) {
    auto with = p;
    with.emplace_back("state", s);
    m.sample("discotheque_provider_breaker_state", "gauge",
             "1 for the circuit breaker's current state.", with,
             state == s ? 1 : 0);
  }
  m.sample("discotheque_provider_errors_24h", "gauge",
           "Provider errors recorded in the last 24 hours.", p,
           num(d["breaker"], "errors_24h"));
}

void actor_metrics(exposition& m, const actor_answer& a,
                   const nlohmann::json& d) {
  labels who{{"actor", a.name}};
  m.sample("discotheque_actor_up", "gauge",
           "Whether the actor answered its inspect request (1) or not (0).",
           who, a.summary ? 1 : 0);
  if (!a.summary)
    return;
  m.sample("discotheque_actor_mailbox_messages", "gauge",
           "Messages waiting in the actor's mailbox.", who,
           static_cast<double>(a.summary->mailbox));
  m.sample("discotheque_actor_messages_handled_total", "counter",
           "Messages the actor handled since it started.", who,
           static_cast<double>(a.summary->handled));
  if (a.kind == "store") {
    fields(m, d, {},
           {{"discotheque_store_transactions_total", "counter",
             "Transactions the store committed.", "transactions", 1},
            {"discotheque_store_writes_total", "counter",
             "Write requests the store ran.", "writes", 1},
            {"discotheque_store_failed_writes_total", "counter",
             "Write requests the store answered with an error.",
             "failed_writes", 1},
            {"discotheque_store_retries_total", "counter",
             "Transactions the store tried again.", "retries", 1},
            {"discotheque_store_batch_pending", "gauge",
             "Write requests waiting for the next transaction.",
             "batch_pending", 1}});
    m.histogram("discotheque_store_commit_duration_seconds",
                "Time from BEGIN to COMMIT of the store's transactions.", {},
                d.value("commit_us_histogram", nlohmann::json{}), 1e-6);
    m.histogram("discotheque_store_writes_per_transaction",
                "Write requests per committed transaction.", {},
                d.value("writes_per_transaction_histogram", nlohmann::json{}),
                1);
  } else if (a.kind == "dedup_store") {
    const char* rows = "Rows the dedup store created or matched (merged).";
    m.sample("discotheque_dedup_batches_total", "counter",
             "Batches the dedup store merged.", {}, num(d, "batches"));
    m.sample("discotheque_dedup_rows_total", "counter", rows,
             {{"outcome", "created"}}, num(d, "rows_created"));
    m.sample("discotheque_dedup_rows_total", "counter", rows,
             {{"outcome", "merged"}}, num(d, "rows_merged"));
  } else if (a.kind == "gateway") {
    gateway_metrics(m, a, d);
  }
}

void task_metrics(exposition& m, const supervisor_status& s) {
  for (const auto& t : s.tasks) {
    labels task{{"task", t.name}};
    m.sample("discotheque_task_running", "gauge", "Whether the task runs now.",
             task, t.running ? 1 : 0);
    m.sample("discotheque_task_last_duration_seconds", "gauge",
             "How long the task's last run took.", task,
             static_cast<double>(t.last_duration_ms) / 1000);
    m.sample("discotheque_task_last_success_timestamp_seconds", "gauge",
             "When the task last succeeded (0: never).", task,
             static_cast<double>(t.last_success) / 1000);
    if (t.name == "scan_local_library") {
      auto stats = nlohmann::json::parse(t.stats_json, nullptr, false);
      m.sample("discotheque_scan_files_per_second", "gauge",
               "Files the last local scan read per second.", {},
               num(stats, "files_per_second"));
      m.sample("discotheque_scan_files_read", "gauge",
               "Files the last local scan read.", {}, num(stats, "files_read"));
    }
  }
}

void bus_metrics(exposition& m, const nlohmann::json& bus) {
  if (!bus.is_object())
    return;
  // Locals: a range-for over a member of a temporary would dangle.
  const auto runs = bus.value("task_runs", nlohmann::json::array());
  for (const auto& r : runs)
    m.sample("discotheque_task_runs_total", "counter",
             "Task runs that ended since the start, by task and status.",
             {{"task", r.value("task", "")}, {"status", r.value("status", "")}},
             num(r, "count"));
  const auto durations = bus.value("task_duration_seconds",
                                   nlohmann::json::object());
  for (const auto& [task, h] : durations.items())
    m.histogram("discotheque_task_duration_seconds",
                "How long task runs took, by task.", {{"task", task}}, h, 1);
  m.sample("discotheque_events_published_total", "counter",
           "Events the event bus published.", {}, num(bus, "events_published"));
  m.sample("discotheque_event_listeners", "gauge",
           "Clients of GET /api/system/events.", {}, num(bus, "listeners"));
  m.sample("discotheque_events_dropped_total", "counter",
           "Events the stream's slow clients did not receive.", {},
           num(bus, "listener_dropped"));
}

} // namespace

std::string render_metrics(const metrics_input& in) {
  exposition m;
  m.sample("discotheque_up", "gauge", "The service runs.", {}, 1);
  m.sample("discotheque_uptime_seconds", "gauge",
           "Seconds since the service started.", {},
           static_cast<double>(in.uptime_s));
  if (in.supervisor)
    task_metrics(m, *in.supervisor);
  bus_metrics(m, in.bus);
  for (const auto& a : in.actors) {
    auto d = a.summary
               ? nlohmann::json::parse(a.summary->details, nullptr, false)
               : nlohmann::json::object();
    actor_metrics(m, a, d.is_object() ? d : nlohmann::json::object());
  }
  if (in.snapshot) {
    const auto& t = in.snapshot->totals;
    for (auto [what, n] : {std::pair{"artists", t.artists},
                           {"albums", t.albums},
                           {"tracks", t.tracks},
                           {"playlists", t.playlists}})
      m.sample("discotheque_library_entities", "gauge",
               "Rows of the library, by type.", {{"type", what}},
               static_cast<double>(n));
    m.sample("discotheque_download_queue_length", "gauge",
             "Tracks waiting for download (state pending).", {},
             static_cast<double>(t.pending_downloads));
  }
  return m.text();
}

bool has_metrics_token(const request& req, const std::string& token) {
  if (token.empty())
    return false;
  auto auth = req.header("authorization");
  const std::string bearer = "Bearer ";
  if (auth.rfind(bearer, 0) == 0
      && api_key_matches(auth.substr(bearer.size()), token))
    return true;
  auto q = req.query.find("token");
  return q != req.query.end() && api_key_matches(q->second, token);
}

void get_metrics(const api_call& call) {
  struct scrape {
    metrics_input in;
    int left = 3;
    responder reply;
    void done() {
      if (--left > 0)
        return;
      response r;
      r.body = render_metrics(in);
      r.content_type = "text/plain; version=0.0.4; charset=utf-8";
      reply(std::move(r));
    }
  };
  auto s = std::make_shared<scrape>();
  s->reply = call.ex.reply;
  s->in.snapshot = call.ctx.snapshot;
  s->in.uptime_s = uptime_s(call.ctx);
  auto self = call.self;
  auto timeout = std::min(call.ctx.timeout, std::chrono::milliseconds{2000});
  inspect_all(self, call.ctx, [s](std::vector<actor_answer> answers) {
    s->in.actors = std::move(answers);
    s->done();
  });
  self->request(call.ctx.supervisor, timeout, atom::status_v)
    .then(
      [s](const supervisor_status& st) {
        s->in.supervisor = st;
        s->done();
      },
      [s](const caf::error&) { s->done(); });
  std::optional<inspection::directory::entry> bus;
  if (call.ctx.directory)
    bus = call.ctx.directory->find("events");
  if (!bus) {
    s->done();
    return;
  }
  self
    ->request(caf::actor_cast<event_bus_actor>(bus->handle), timeout,
              atom::ev_metrics_v)
    .then(
      [s](const std::string& text) {
        s->in.bus = nlohmann::json::parse(text, nullptr, false);
        s->done();
      },
      [s](const caf::error&) { s->done(); });
}

} // namespace discotheque::http
