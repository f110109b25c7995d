"""The node supervises the infrastructure: when the store actor (the only
writer) dies, the service does not run on without it; it shuts down in order
and exits non-zero."""
import os
import time

from harness import Service, check, run_tests


def test_the_service_stops_in_order_and_fails_when_the_store_dies():
    os.environ["DISCOTHEQUE_FAILPOINT"] = "store_exit_after_ms=1500"
    try:
        with Service() as s:
            s.start()
            status, _ = s.get("/api/health", key=False)
            check(status == 200, status)
            rc = s.proc.wait(30)
            out = s.output()
            check(rc == 1, f"exit code {rc}:\n{out}")
            order = ["the store actor stopped", "shutting down in order",
                     "stopped the HTTP server", "stopped after a fatal error"]
            positions = [out.find(line) for line in order]
            check(all(p >= 0 for p in positions), f"log lacks a step:\n{out}")
            check(positions == sorted(positions), f"steps out of order:\n{out}")
            check("stopped cleanly" not in out, out)
    finally:
        del os.environ["DISCOTHEQUE_FAILPOINT"]


if __name__ == "__main__":
    run_tests([test_the_service_stops_in_order_and_fails_when_the_store_dies])
