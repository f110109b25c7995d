#include "actors/events.hpp"

#include "actors/inspect.hpp"
#include "support/time.hpp"

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>

namespace discotheque {

namespace {

/// The process-wide way to the running bus.
struct tap {
  std::mutex mtx;
  caf::actor_addr bus;
  uint64_t bus_id = 0;
  /// Listeners of the running bus: zero means message events cost one load.
  std::atomic<int> listeners{0};
  std::atomic<int64_t> window{0};
  std::atomic<int> in_window{0};
  std::atomic<uint64_t> sampled_out{0};

  caf::actor current() {
    std::lock_guard<std::mutex> guard{mtx};
    return caf::actor_cast<caf::actor>(bus);
  }
};

tap& the_tap() {
  static tap t;
  return t;
}

void set_listeners(const event_bus_state& st) {
  auto& t = the_tap();
  std::lock_guard<std::mutex> guard{t.mtx};
  if (t.bus_id == st.id)
    t.listeners = static_cast<int>(st.listeners.size());
}

} // namespace

namespace events {

void publish(const std::string& type, nlohmann::json data) {
  auto hdl = the_tap().current();
  if (!hdl)
    return;
  data["type"] = type;
  data["time"] = iso8601(now_ms());
  caf::anon_send(hdl, atom::ev_publish_v, type, data.dump());
}

void message_handled(uint64_t id, const std::string& message) {
  auto& t = the_tap();
  if (t.listeners.load(std::memory_order_relaxed) == 0)
    return;
  auto now = now_ms();
  auto second = now / 1000;
  if (t.window.exchange(second) != second)
    t.in_window = 0;
  if (++t.in_window > max_message_events_per_s) {
    ++t.sampled_out;
    return;
  }
  caf::actor hdl;
  {
    std::lock_guard<std::mutex> guard{t.mtx};
    if (id == t.bus_id) // its own traffic would feed itself
      return;
    hdl = caf::actor_cast<caf::actor>(t.bus);
  }
  if (hdl)
    caf::anon_send(hdl, atom::ev_publish_v, id, message, now);
}

uint64_t messages_sampled_out() {
  return the_tap().sampled_out.load();
}

} // namespace events

bool event_matches(const std::string& filter, const std::string& type,
                   const std::string& data) {
  if (filter.empty())
    return true;
  size_t start = 0;
  while (start <= filter.size()) {
    auto comma = filter.find(',', start);
    auto term = filter.substr(
      start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!term.empty()
        && (type.find(term) != std::string::npos
            || data.find(term) != std::string::npos))
      return true;
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return false;
}

std::string sse_chunk(uint64_t id, const std::string& type,
                      const std::string& data) {
  // The JSON is one line (dump() without indent): one data: line.
  return "id: " + std::to_string(id) + "\nevent: " + type + "\ndata: " + data
         + "\n\n";
}

std::vector<double> task_duration_bounds() {
  return {0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600};
}

event_bus_state::~event_bus_state() {
  for (auto& l : listeners)
    l.channel->close();
  auto& t = the_tap();
  std::lock_guard<std::mutex> guard{t.mtx};
  if (t.bus_id == id) {
    t.bus = caf::actor_addr{};
    t.bus_id = 0;
    t.listeners = 0;
  }
}

namespace {

using self_ptr = event_bus_actor::stateful_pointer<event_bus_state>;

/// Sends one event to every listener it matches; forgets closed ones.
void deliver(self_ptr self, const std::string& type, const std::string& data) {
  auto& st = self->state;
  ++st.published;
  if (st.listeners.empty())
    return;
  auto chunk = sse_chunk(st.next_event_id++, type, data);
  auto before = st.listeners.size();
  st.listeners.erase(std::remove_if(st.listeners.begin(), st.listeners.end(),
                                    [&](const event_subscription& l) {
                                      if (!event_matches(l.filter, type, data))
                                        return l.channel->closed();
                                      return !l.channel->push(chunk);
                                    }),
                     st.listeners.end());
  if (st.listeners.size() != before)
    set_listeners(st);
}

void arm_progress(self_ptr self) {
  auto& st = self->state;
  if (st.progress_armed || st.running.empty() || st.listeners.empty())
    return;
  st.progress_armed = true;
  self->delayed_send(self, st.config.progress_interval, atom::progress_v);
}

/// Task runs and durations for the metrics, the running set for progress.
void track_task(self_ptr self, const std::string& type,
                const std::string& data) {
  if (type != "task_started" && type != "task_finished")
    return;
  auto& st = self->state;
  auto j = nlohmann::json::parse(data, nullptr, false);
  if (!j.is_object() || !j.contains("task") || !j["task"].is_string())
    return;
  auto task = j["task"].get<std::string>();
  if (type == "task_started") {
    st.running.insert(task);
    arm_progress(self);
    return;
  }
  st.running.erase(task);
  auto status = j.value("status", std::string{"unknown"});
  ++st.runs[{task, status}];
  if (j.contains("duration_ms") && j["duration_ms"].is_number()) {
    auto it = st.durations.find(task);
    if (it == st.durations.end())
      it = st.durations.emplace(task, histogram{task_duration_bounds()}).first;
    it->second.observe(j["duration_ms"].get<double>() / 1000.0);
  }
}

/// The directory's name of actor `id`.
std::string name_of(self_ptr self, uint64_t id) {
  auto& st = self->state;
  auto it = st.names.find(id);
  if (it != st.names.end())
    return it->second;
  auto now = now_ms();
  if (st.config.directory && now - st.names_renewed_at >= 1000) {
    st.names_renewed_at = now;
    st.names.clear();
    for (const auto& e : st.config.directory->list())
      st.names[e.handle->id()] = e.name;
    it = st.names.find(id);
    if (it != st.names.end())
      return it->second;
  }
  return "actor#" + std::to_string(id);
}

void sample_progress(self_ptr self) {
  auto& st = self->state;
  st.progress_armed = false;
  if (st.listeners.empty() || !st.config.directory)
    return;
  for (const auto& task : st.running) {
    auto e = st.config.directory->find("task." + task);
    if (!e)
      continue;
    self
      ->request(caf::actor_cast<caf::actor>(e->handle), std::chrono::seconds(1),
                atom::progress_v)
      .then(
        [self, task](const std::string& progress) {
          if (self->state.running.count(task) == 0)
            return; // finished meanwhile: its final stats are in task_finished
          auto p = nlohmann::json::parse(progress, nullptr, false);
          nlohmann::json data{
            {"type", "progress"},
            {"time", iso8601(now_ms())},
            {"task", task},
            {"progress", p.is_discarded() ? nlohmann::json::object() : p}};
          deliver(self, "progress", data.dump());
        },
        [](const caf::error&) {});
  }
  arm_progress(self);
}

nlohmann::json metrics_of(const event_bus_state& st) {
  auto runs = nlohmann::json::array();
  for (const auto& [key, n] : st.runs)
    runs.push_back({{"task", key.first}, {"status", key.second}, {"count", n}});
  auto durations = nlohmann::json::object();
  for (const auto& [task, h] : st.durations)
    durations[task] = h.to_json();
  uint64_t dropped = 0;
  for (const auto& l : st.listeners)
    dropped += l.channel->dropped();
  return {{"task_runs", std::move(runs)},
          {"task_duration_seconds", std::move(durations)},
          {"events_published", st.published},
          {"listeners", st.listeners.size()},
          {"listener_dropped", dropped},
          {"messages_sampled_out", events::messages_sampled_out()}};
}

} // namespace

event_bus_actor::behavior_type
event_bus(event_bus_actor::stateful_pointer<event_bus_state> self,
          event_bus_config config) {
  auto& st = self->state;
  st.config = std::move(config);
  st.id = self->id();
  {
    auto& t = the_tap();
    std::lock_guard<std::mutex> guard{t.mtx};
    t.bus = self->address();
    t.bus_id = st.id;
    t.listeners = 0;
  }
  self->delayed_send(self, st.config.heartbeat, atom::tick_atom_v);
  return {
    [self](atom::ev_publish, const std::string& type, const std::string& data) {
      track_task(self, type, data);
      deliver(self, type, data);
    },
    [self](atom::ev_publish, uint64_t id, const std::string& message,
           int64_t at) {
      if (self->state.listeners.empty())
        return;
      nlohmann::json data{{"type", "message"},
                          {"time", iso8601(at)},
                          {"actor", name_of(self, id)},
                          {"id", id},
                          {"message", message}};
      deliver(self, "message", data.dump());
    },
    [self](atom::ev_subscribe, event_subscription& sub) {
      auto& st = self->state;
      if (!sub.channel || sub.channel->closed())
        return;
      st.listeners.push_back(std::move(sub));
      set_listeners(st);
      arm_progress(self);
    },
    [self](atom::ev_metrics) { return metrics_of(self->state).dump(); },
    [self](atom::tick_atom) {
      auto& st = self->state;
      // A comment line: keeps proxies from closing an idle stream, and a
      // client that went away is noticed here at the latest.
      auto beat = ": heartbeat " + iso8601(now_ms()) + "\n\n";
      auto before = st.listeners.size();
      st.listeners.erase(std::remove_if(st.listeners.begin(),
                                        st.listeners.end(),
                                        [&](const event_subscription& l) {
                                          return !l.channel->push(beat);
                                        }),
                         st.listeners.end());
      if (st.listeners.size() != before)
        set_listeners(st);
      self->delayed_send(self, st.config.heartbeat, atom::tick_atom_v);
    },
    [self](atom::progress) { sample_progress(self); },
    [self](atom::inspect_atom) {
      const auto& st = self->state;
      auto details = metrics_of(st);
      auto running = nlohmann::json::array();
      for (const auto& t : st.running)
        running.push_back(t);
      details["running"] = std::move(running);
      auto line = std::to_string(st.listeners.size()) + " listeners, "
                  + std::to_string(st.published) + " events";
      return inspection::summarize(self, "event_bus", line, details);
    },
  };
}

} // namespace discotheque
