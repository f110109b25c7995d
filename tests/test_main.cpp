// The one translation unit that provides CAF's test runner main().
#define CAF_TEST_NO_MAIN
#include "fixture.hpp"

#include <caf/test/unit_test_impl.hpp>

int main(int argc, char** argv) {
  discotheque::log::init("warn");
  return caf::test::main(argc, argv);
}
