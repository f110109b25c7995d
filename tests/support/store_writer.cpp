// Test helper: writes rows through a detached store actor as fast as it can
// and prints the number of every acknowledged write on its own line. The
// crash test kills it with SIGKILL mid-write and then checks that every
// printed (acknowledged) row is in the database.
//
// usage: store_writer DB_PATH COUNT
#include "actors/store.hpp"
#include "app/service.hpp"
#include "support/log.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include <cstdio>
#include <string>

using namespace discotheque;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: store_writer DB_PATH COUNT\n");
    return 2;
  }
  log::init("warn");
  caf::actor_system_config cfg;
  configure_actor_system(cfg);
  caf::actor_system sys{cfg};
  store_config scfg;
  scfg.db_path = argv[1];
  auto st = sys.spawn<caf::detached>(store, scfg);
  auto total = std::stol(argv[2]);
  sys.spawn([st, total](caf::event_based_actor* self) {
    // A long-running writer: keep many requests in flight so transactions
    // are large, and print each acknowledgement as it arrives.
    auto next = std::make_shared<long>(0);
    auto send_one = std::make_shared<std::function<void()>>();
    *send_one = [=] {
      if (*next >= total)
        return;
      auto i = (*next)++;
      auto name = "row-" + std::to_string(i);
      write_request req{
        {sql_stmt{"INSERT INTO artists(name, normalized_name, ownership_state) "
                  "VALUES (?1, ?1, 'owned')",
                  {sql_value::of(name)}}}};
      self->request(st, caf::infinite, atom::write_v, std::move(req))
        .then(
          [=](const write_ack&) {
            std::printf("%ld\n", i);
            std::fflush(stdout);
            (*send_one)();
          },
          [=](const caf::error&) { (*send_one)(); });
    };
    for (int k = 0; k < 2000; ++k)
      (*send_one)();
  });
  sys.await_all_actors_done();
  return 0;
}
