#include "actors/inspect.hpp"

#include "actors/events.hpp"
#include "support/time.hpp"

#include <caf/actor_cast.hpp>
#include <caf/atom.hpp>
#include <caf/detail/behavior_impl.hpp>
#include <caf/type_erased_tuple.hpp>
#include <nlohmann/json.hpp>

#include <unordered_map>
#include <utility>

namespace discotheque::inspection {

namespace {

/// The atom a message starts with, which names it in this house.
std::string message_name(const caf::type_erased_tuple& xs) {
  if (xs.size() == 0)
    return "()";
  if (xs.match_element<caf::atom_value>(0))
    return caf::to_string(xs.get_as<caf::atom_value>(0));
  return "(no atom)";
}

/// Delegates to the actor's own behaviour and counts what it matched.
class counting_behavior : public caf::detail::behavior_impl {
public:
  counting_behavior(caf::intrusive_ptr<caf::detail::behavior_impl> inner,
                    std::shared_ptr<counters> c, caf::actor_id id)
    : behavior_impl(inner->timeout()),
      inner_(std::move(inner)),
      counters_(std::move(c)),
      id_(id) {
    begin_ = nullptr;
    end_ = nullptr;
  }

  caf::match_case::result
  invoke_empty(caf::detail::invoke_result_visitor& f) override {
    return inner_->invoke_empty(f);
  }

  caf::match_case::result invoke(caf::detail::invoke_result_visitor& f,
                                 caf::type_erased_tuple& xs) override {
    auto name = message_name(xs);
    auto result = inner_->invoke(f, xs);
    if (result != caf::match_case::no_match) {
      ++counters_->handled;
      // The live event stream (console's tail): free while nobody listens.
      events::message_handled(id_, name);
      counters_->last_message = std::move(name);
    }
    return result;
  }

  void handle_timeout() override {
    inner_->handle_timeout();
  }

private:
  caf::intrusive_ptr<caf::detail::behavior_impl> inner_;
  std::shared_ptr<counters> counters_;
  caf::actor_id id_;
};

struct registry {
  std::mutex mtx;
  std::unordered_map<caf::actor_id, std::weak_ptr<counters>> by_id;
};

registry& the_registry() {
  static registry r;
  return r;
}

} // namespace

caf::behavior count_messages(caf::behavior b, std::shared_ptr<counters> c) {
  if (!b)
    return b;
  auto impl = b.as_behavior_impl();
  caf::actor_id id = 0;
  {
    auto& r = the_registry();
    std::lock_guard<std::mutex> guard{r.mtx};
    for (const auto& [k, w] : r.by_id)
      if (w.lock() == c)
        id = k;
  }
  return caf::behavior{caf::intrusive_ptr<caf::detail::behavior_impl>{
    new counting_behavior(std::move(impl), std::move(c), id), false}};
}

std::shared_ptr<counters> counters_for(caf::actor_id id) {
  auto c = std::make_shared<counters>();
  c->started_at = now_ms();
  auto& r = the_registry();
  std::lock_guard<std::mutex> guard{r.mtx};
  // Drop what belongs to actors that are gone (ids are never reused).
  for (auto i = r.by_id.begin(); i != r.by_id.end();)
    i = i->second.expired() ? r.by_id.erase(i) : std::next(i);
  r.by_id[id] = c;
  return c;
}

std::shared_ptr<counters> counters_of(caf::actor_id id) {
  auto& r = the_registry();
  std::lock_guard<std::mutex> guard{r.mtx};
  auto i = r.by_id.find(id);
  return i == r.by_id.end() ? nullptr : i->second.lock();
}

actor_summary summarize(caf::scheduled_actor* self, std::string kind,
                        std::string summary, const nlohmann::json& details) {
  actor_summary s;
  s.name = self->name();
  s.kind = std::move(kind);
  s.id = self->id();
  // Called from the actor's own handler: the mailbox is its own.
  s.mailbox = self->mailbox().size();
  if (auto c = counters_of(self->id())) {
    s.started_at = c->started_at;
    s.handled = c->handled;
    s.last_message = c->last_message;
  }
  s.summary = std::move(summary);
  s.details = details.is_object() ? details.dump() : std::string{"{}"};
  return s;
}

void directory::add(const std::string& name, const std::string& kind,
                    const caf::strong_actor_ptr& hdl) {
  if (!hdl)
    return;
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& s : slots_)
    if (s.name == name) {
      s.kind = kind;
      s.addr = hdl->address();
      return;
    }
  slots_.push_back(slot{name, kind, hdl->address()});
}

std::vector<directory::entry> directory::list() const {
  std::vector<entry> result;
  std::lock_guard<std::mutex> guard{mtx_};
  for (const auto& s : slots_)
    if (auto hdl = caf::actor_cast<caf::strong_actor_ptr>(s.addr))
      result.push_back(entry{s.name, s.kind, std::move(hdl)});
  return result;
}

std::optional<directory::entry> directory::find(const std::string& name) const {
  std::lock_guard<std::mutex> guard{mtx_};
  for (const auto& s : slots_)
    if (s.name == name)
      if (auto hdl = caf::actor_cast<caf::strong_actor_ptr>(s.addr))
        return entry{s.name, s.kind, std::move(hdl)};
  return std::nullopt;
}

} // namespace discotheque::inspection
