"""The HTTP server when file descriptors run out: accept() fails, the server
backs off and logs the condition once in a while instead of spinning, and
serves again once sockets are free."""
import os
import resource
import socket
import subprocess
import time

from harness import BIN, Service, check, run_tests


def test_accept_backs_off_when_descriptors_run_out():
    with Service(config={"log_level": "info"}) as svc:
        def limit():
            resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))
        svc.log = open(svc.log_path, "wb")
        svc.proc = subprocess.Popen([BIN, "serve", "--config", svc.config_path],
                                    stdout=svc.log, stderr=subprocess.STDOUT,
                                    preexec_fn=limit)
        svc.wait_ready()
        socks = []
        try:
            for _ in range(200):
                try:
                    socks.append(socket.create_connection(("127.0.0.1", svc.port), timeout=2))
                except OSError:
                    break
            time.sleep(4)
            size = os.path.getsize(svc.log_path)
            check(size < 20000, f"log grew to {size} bytes in 4 s")
            check("accept failed" in svc.output(), "the condition is logged")
        finally:
            for s in socks:
                s.close()
        # The accept backoff is at most 1 s; the health answer may say
        # "error" until the reader's snapshot (renewed every 2 s) was taken
        # again with descriptors to spare.
        statuses = []
        deadline = time.time() + 6
        while time.time() < deadline:
            status, _ = svc.get("/api/health", key=False)
            statuses.append(status)
            if status == 200:
                break
            time.sleep(0.2)
        check(statuses[-1] == 200 and len(statuses) < 30, f"serves again: {statuses}")
        check(svc.stop() == 0, "clean stop")


if __name__ == "__main__":
    run_tests([test_accept_backs_off_when_descriptors_run_out])
