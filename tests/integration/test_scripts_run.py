"""`scripts/run` (the README's first command) starts the service in the
foreground; it answers /api/health and stops cleanly on SIGTERM."""
import os
import signal
import subprocess
import tempfile
import time
import urllib.request

from harness import SOURCE, check, free_port, run_tests


def test_scripts_run_starts_and_stops_cleanly():
    tmp = tempfile.mkdtemp(prefix="disco-run-")
    port = free_port()
    log = open(os.path.join(tmp, "out.log"), "wb")
    proc = subprocess.Popen(
        [os.path.join(SOURCE, "scripts", "run"), "--data", os.path.join(tmp, "data"),
         "--listen", f"127.0.0.1:{port}"],
        cwd=SOURCE, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 300  # may have to build first
        ok = False
        while time.time() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                    ok = r.status == 200
                    break
            except OSError:
                time.sleep(0.2)
        check(ok, "no health answer: " + open(os.path.join(tmp, "out.log")).read()[-2000:])
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(60)
        check(rc == 0, f"exit code {rc}")
        check(os.path.exists(os.path.join(tmp, "data", "discotheque.db")), "database created")
    finally:
        if proc.poll() is None:
            proc.kill()


if __name__ == "__main__":
    run_tests([test_scripts_run_starts_and_stops_cleanly])
