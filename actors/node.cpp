#include "actors/node.hpp"

#include "actors/inspect.hpp"

#include "messages/error.hpp"
#include "support/log.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

namespace discotheque {

namespace {

using self_ptr = node_actor::stateful_pointer<node_state>;

void fatal(self_ptr self, const std::string& reason) {
  auto& st = self->state;
  if (st.fatal)
    return;
  st.fatal = true;
  st.log->critical("{}; shutting the service down", reason);
  if (st.on_fatal)
    st.on_fatal(reason);
}

/// A restart within the limit, or false when it has died too often.
bool may_restart(self_ptr self, node_state::entry& e) {
  auto& st = self->state;
  auto now = self->clock().now();
  while (!e.recent.empty() && now - e.recent.front() > st.restart_window)
    e.recent.pop_front();
  if (static_cast<int>(e.recent.size()) >= st.max_restarts)
    return false;
  e.recent.push_back(now);
  return true;
}

bool is_part(const node_component& c, const caf::actor_addr& who) {
  if (c.handle && c.handle->address() == who)
    return true;
  for (const auto& m : c.members)
    if (m && m->address() == who)
      return true;
  return false;
}

/// Stops what is left of a group after one of its actors died (demonitored
/// first: their ends are no failure).
void stop_survivors(self_ptr self, node_component& c) {
  auto all = c.members;
  all.push_back(c.handle);
  for (auto& h : all)
    if (h) {
      self->demonitor(h->address());
      caf::anon_send_exit(h, caf::exit_reason::user_shutdown);
    }
  c.handle = nullptr;
  c.members.clear();
}

void respawn(self_ptr self, node_component& c) {
  if (c.restart_group) {
    auto fresh = c.restart_group();
    if (fresh.empty())
      return;
    c.handle = fresh.front();
    c.members.assign(fresh.begin() + 1, fresh.end());
    for (auto& m : c.members)
      if (m)
        self->monitor(m);
  } else {
    c.handle = c.restart();
  }
  if (c.handle)
    self->monitor(c.handle);
}

void on_down(self_ptr self, const caf::down_msg& msg) {
  auto& st = self->state;
  for (auto& e : st.entries) {
    auto& c = e.component;
    if (!is_part(c, msg.source))
      continue;
    auto why = render(msg.reason);
    stop_survivors(self, c);
    if (!c.restartable()) {
      fatal(self, "the " + c.name + " actor stopped (" + why + ")");
      return;
    }
    if (!may_restart(self, e)) {
      fatal(self, "the " + c.name + " actor failed "
                    + std::to_string(st.max_restarts) + " times within "
                    + std::to_string(st.restart_window.count())
                    + " s (last: " + why + ")");
      return;
    }
    respawn(self, c);
    if (!c.handle) {
      fatal(self, "the " + c.name + " actor could not be restarted");
      return;
    }
    ++e.restarts;
    st.log->error("the {} actor stopped ({}); restarted", c.name, why);
    if (c.replaced)
      c.replaced(c.handle);
    return;
  }
}

/// (respawn, provider): a settings change replaces the provider's actors on
/// purpose. The old ones are demonitored first (their end is no failure and
/// no restart), the hub spawns the new ones (restart_group) and those are
/// supervised from then on; a provider that had none gets its component.
bool respawn_provider(self_ptr self, const std::string& provider) {
  auto& st = self->state;
  auto name = "provider " + provider;
  node_state::entry* found = nullptr;
  for (auto& e : st.entries)
    if (e.component.name == name)
      found = &e;
  if (found == nullptr) {
    auto c = st.provider_component ? st.provider_component(provider)
                                   : std::nullopt;
    if (!c || !c->restart_group)
      return false;
    st.entries.push_back(node_state::entry{std::move(*c), 0, {}});
    found = &st.entries.back();
  }
  auto& c = found->component;
  if (c.handle)
    self->demonitor(c.handle->address());
  for (auto& m : c.members)
    if (m)
      self->demonitor(m->address());
  c.handle = nullptr;
  c.members.clear();
  respawn(self, c);
  st.log->info("the {} actors were replaced after a settings change ({})", name,
               c.handle ? "running" : "none: disabled");
  return static_cast<bool>(c.handle);
}

/// Every supervised component, running or not, for (inspect).
actor_summary summary_of(self_ptr self) {
  auto components = nlohmann::json::array();
  size_t running = 0;
  int64_t restarts = 0;
  for (const auto& e : self->state.entries) {
    auto up = static_cast<bool>(e.component.handle);
    running += up ? 1 : 0;
    restarts += e.restarts;
    components.push_back({{"name", e.component.name},
                          {"running", up},
                          {"restartable", e.component.restartable()},
                          {"members", e.component.members.size()},
                          {"restarts", e.restarts}});
  }
  nlohmann::json details{{"components", components},
                         {"fatal", self->state.fatal},
                         {"max_restarts", self->state.max_restarts},
                         {"restart_window_s",
                          self->state.restart_window.count()}};
  auto line = std::to_string(running) + " of "
              + std::to_string(self->state.entries.size())
              + " components running, " + std::to_string(restarts)
              + " restarts";
  return inspection::summarize(self, "node", line, details);
}

} // namespace

node_actor::behavior_type node(node_actor::stateful_pointer<node_state> self,
                               node_config cfg) {
  auto& st = self->state;
  st.log = log::get("node");
  st.on_fatal = std::move(cfg.on_fatal);
  st.max_restarts = cfg.max_restarts;
  st.restart_window = cfg.restart_window;
  st.provider_component = std::move(cfg.provider_component);
  for (auto& c : cfg.components) {
    if (c.handle)
      self->monitor(c.handle);
    for (auto& m : c.members)
      if (m)
        self->monitor(m);
    st.entries.push_back(node_state::entry{std::move(c), 0, {}});
  }
  self->set_down_handler([self](caf::down_msg& msg) { on_down(self, msg); });
  // An ordered shutdown stops the node first: nothing it watches counts as a
  // failure after that.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (auto& e : self->state.entries) {
      if (e.component.handle)
        self->demonitor(e.component.handle->address());
      for (auto& m : e.component.members)
        if (m)
          self->demonitor(m->address());
    }
    self->quit(msg.reason);
  });
  return {
    [self](atom::status) -> std::vector<node_health> {
      std::vector<node_health> result;
      for (auto& e : self->state.entries)
        result.push_back(node_health{
          e.component.name, static_cast<bool>(e.component.handle), e.restarts});
      return result;
    },
    [self](atom::respawn, const std::string& provider) {
      return respawn_provider(self, provider);
    },
    [self](atom::inspect_atom) { return summary_of(self); },
  };
}

} // namespace discotheque
