"""kill -9 during a long batch write leaves a database that opens, passes
PRAGMA integrity_check and holds every write that was acknowledged."""
import os
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time

from harness import check, run_tests

WRITER = os.environ.get("STORE_WRITER_BIN", "build/release/tests/store_writer")


def crash_once(kill_after_acks):
    tmp = tempfile.mkdtemp(prefix="disco-crash-")
    db_path = os.path.join(tmp, "library.db")
    proc = subprocess.Popen([WRITER, db_path, "10000000"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    acked = []
    # Read acknowledgements until enough arrived, then SIGKILL mid-write.
    deadline = time.time() + 120
    while len(acked) < kill_after_acks and time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        acked.append(int(line))
    os.kill(proc.pid, signal.SIGKILL)
    # Whatever was printed before the kill was acknowledged as well.
    rest = proc.stdout.read()
    acked.extend(int(x) for x in rest.split())
    proc.wait()
    check(len(acked) >= kill_after_acks, f"only {len(acked)} acks before timeout: {proc.stderr.read()[:500]}")
    db = sqlite3.connect(db_path)
    check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check")
    names = {r[0] for r in db.execute("SELECT name FROM artists")}
    missing = [i for i in acked if f"row-{i}" not in names]
    check(not missing, f"{len(missing)} acknowledged writes lost, e.g. {missing[:5]}")
    check(len(names) >= len(acked), "row count")
    return len(acked), len(names)


def test_kill_9_keeps_acknowledged_writes():
    for n in (5000, 40000, 120000):
        acked, rows = crash_once(n)
        print(f"  killed after {acked} acks; {rows} rows in the database")


if __name__ == "__main__":
    run_tests([test_kill_9_keeps_acknowledged_writes])
