#include "http/api/system.hpp"

#include "actors/inspect.hpp"
#include "messages/error.hpp"
#include "support/time.hpp"

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

namespace discotheque::http {

namespace {

using entry = inspection::directory::entry;

/// What one actor answered: its summary, or why there is none.
struct answer {
  std::optional<actor_summary> summary;
  std::string error;
};

/// How long an actor may take to answer: a busy detached actor (the store
/// in a long transaction) is listed as not answering rather than holding
/// the whole list back.
std::chrono::milliseconds inspect_timeout(const api_context& ctx) {
  return std::min(ctx.timeout, std::chrono::milliseconds{2000});
}

/// Asks `e` for its summary; a task actor (whose interface is the task
/// protocol) for its progress instead.
template <class Done>
void ask(api_self self, const entry& e, std::chrono::milliseconds timeout,
         Done done) {
  auto hdl = caf::actor_cast<caf::actor>(e.handle);
  auto fail = [done](const caf::error& err) {
    done(answer{std::nullopt, render(err)});
  };
  if (e.kind == "task") {
    self->request(hdl, timeout, atom::progress_v)
      .then(
        [done, e](const std::string& progress) {
          actor_summary s;
          s.name = e.name;
          s.kind = e.kind;
          s.id = e.handle->id();
          s.summary = progress == "{}" ? "idle" : "running";
          s.details = nlohmann::json{{"progress", nlohmann::json::parse(
                                                    progress, nullptr, false)}}
                        .dump();
          done(answer{std::move(s), {}});
        },
        fail);
    return;
  }
  self->request(hdl, timeout, atom::inspect_atom_v)
    .then(
      [done](actor_summary& s) {
        done(answer{std::move(s), {}});
      },
      fail);
}

} // namespace

nlohmann::json actor_json(const std::string& name, const std::string& kind,
                          uint64_t id, const actor_summary* summary,
                          const std::string& error, bool full, int64_t now) {
  nlohmann::json j{{"name", name}, {"kind", kind}, {"id", id}};
  if (!summary) {
    j["answered"] = false;
    j["error"] = error;
    return j;
  }
  const auto& s = *summary;
  j["answered"] = true;
  j["actor"] = s.name;
  if (s.started_at > 0) {
    j["started_at"] = iso8601(s.started_at);
    j["uptime_s"] = std::max<int64_t>(0, (now - s.started_at) / 1000);
  } else {
    j["started_at"] = nullptr;
    j["uptime_s"] = nullptr;
  }
  j["mailbox"] = s.mailbox;
  j["handled"] = s.handled;
  if (s.last_message.empty())
    j["last_message"] = nullptr;
  else
    j["last_message"] = s.last_message;
  j["summary"] = s.summary;
  if (full) {
    auto details = nlohmann::json::parse(s.details, nullptr, false);
    j["details"] = details.is_discarded() ? nlohmann::json::object() : details;
  }
  return j;
}

void inspect_all(api_self self, const api_context& ctx,
                 std::function<void(std::vector<actor_answer>)> done) {
  std::vector<entry> entries;
  if (ctx.directory)
    entries = ctx.directory->list();
  if (entries.empty())
    return done({});
  struct gathering {
    std::vector<actor_answer> answers;
    size_t left = 0;
    std::function<void(std::vector<actor_answer>)> done;
  };
  auto g = std::make_shared<gathering>();
  g->answers.resize(entries.size());
  g->left = entries.size();
  g->done = std::move(done);
  auto timeout = inspect_timeout(ctx);
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    g->answers[i].name = e.name;
    g->answers[i].kind = e.kind;
    g->answers[i].id = e.handle->id();
    ask(self, e, timeout, [g, i](answer a) {
      g->answers[i].summary = std::move(a.summary);
      g->answers[i].error = std::move(a.error);
      if (--g->left == 0)
        g->done(std::move(g->answers));
    });
  }
}

void get_actors(const api_call& call) {
  auto reply = call.ex.reply;
  inspect_all(call.self, call.ctx,
              [reply](const std::vector<actor_answer>& answers) {
                auto now = now_ms();
                auto list = nlohmann::json::array();
                for (const auto& a : answers)
                  list.push_back(actor_json(a.name, a.kind, a.id,
                                            a.summary ? &*a.summary : nullptr,
                                            a.error, false, now));
                reply(json_ok({{"actors", std::move(list)}}));
              });
}

void get_actor(const api_call& call) {
  auto reply = call.ex.reply;
  auto name = call.params.at("name");
  std::optional<entry> e;
  if (call.ctx.directory)
    e = call.ctx.directory->find(name);
  if (!e)
    return reply(json_error(404, "not_found", "no such actor: " + name));
  ask(call.self, *e, inspect_timeout(call.ctx),
      [e = *e, reply](const answer& a) {
        reply(json_ok(actor_json(e.name, e.kind, e.handle->id(),
                                 a.summary ? &*a.summary : nullptr, a.error,
                                 true, now_ms())));
      });
}

} // namespace discotheque::http
