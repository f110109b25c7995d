"""The command line and the data folder as a new user meets them: exit codes
of usage errors, --version, help texts, the config file found from anywhere,
a private data folder, one process per data folder, a moved checkout, Ctrl-C
during a run."""
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time

from harness import BIN, SOURCE, Service, check, run_tests


def disco(*args, cwd=None, timeout=60):
    return subprocess.run([os.path.abspath(BIN)] + list(args), capture_output=True,
                          text=True, cwd=cwd, timeout=timeout)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_usage_errors_exit_2_and_help_lists_shared_flags_and_tasks():
    r = disco("run")
    check(r.returncode == 2, f"run without a task: {r.returncode} {r.stderr}")
    r = disco("frobnicate")
    check(r.returncode == 2, f"unknown subcommand: {r.returncode}")
    for flag in ("--version", "-V"):
        r = disco(flag)
        check(r.returncode == 0 and r.stdout.startswith("discotheque "), (flag, r))
    r = disco("run", "--help")
    check(r.returncode == 0, r)
    for word in ("--data", "--music", "--config", "scan_local_library", "health_check"):
        check(word in r.stdout, f"run --help lacks {word}:\n{r.stdout}")
    r = disco("serve", "--help")
    check("--listen" in r.stdout and "--log-level" in r.stdout, r.stdout)
    tmp = tempfile.mkdtemp(prefix="disco-cli-")
    r = disco("--data", tmp, "run", "no_such_task")
    check(r.returncode == 2, r)
    check("scan_local_library" in r.stderr and "no_such_task" in r.stderr, r.stderr)
    shutil.rmtree(tmp, ignore_errors=True)


def test_auth_of_an_unknown_provider_and_a_short_api_key():
    tmp = tempfile.mkdtemp(prefix="disco-cli-")
    try:
        r = disco("--data", tmp, "auth", "bogus")
        check(r.returncode == 2, r)
        check("unknown provider 'bogus'" in r.stderr and "spotify" in r.stderr
              and "deezer" in r.stderr, r.stderr)
        cfg = os.path.join(tmp, "c.json")
        with open(cfg, "w") as f:
            f.write('{"api_key": "short"}')
        r = disco("--config", cfg, "--data", tmp, "run", "health_check")
        check(r.returncode == 2 and "api_key" in r.stderr, r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_config_is_found_from_anywhere():
    tmp = tempfile.mkdtemp(prefix="disco-cli-")
    try:
        # From another folder the checkout's conf/discotheque.json is used.
        r = disco("--data", os.path.join(tmp, "d"), "--log-level", "info", "run",
                  "health_check", cwd=tmp)
        check(r.returncode == 0, r.stderr)
        check("conf/discotheque.json" in r.stderr, "names the config: " + r.stderr)
        check(os.path.join(tmp, "d") in r.stderr, "names the data folder: " + r.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_data_folder_and_files_are_private():
    with Service() as s:
        s.start()
        s.get("/api/library/status")
        check(mode(s.data) == 0o700, oct(mode(s.data)))
        for name in os.listdir(s.data):
            p = os.path.join(s.data, name)
            if os.path.isfile(p):
                check(mode(p) == 0o600, f"{name}: {oct(mode(p))}")
        check(os.path.exists(os.path.join(s.data, "discotheque.db-wal")), os.listdir(s.data))
        check(not os.path.exists(os.path.join(s.data, ".write-test")), "probe left behind")
        s.stop()
        # modes widened by hand are fixed at the next start, and logged
        os.chmod(s.data, 0o755)
        os.chmod(os.path.join(s.data, "discotheque.db"), 0o644)
        s.start()
        check(mode(s.data) == 0o700, oct(mode(s.data)))
        check(mode(os.path.join(s.data, "discotheque.db")) == 0o600, "db mode fixed")
        check("made " in s.output() and "private" in s.output(), s.output())


def test_second_process_on_one_data_folder_is_refused():
    with Service() as s:
        s.start()
        r = disco("--data", s.data, "--config", s.config_path, "run", "health_check")
        check(r.returncode == 2, f"second process: {r.returncode} {r.stderr}")
        check(f"pid {s.proc.pid}" in r.stderr, r.stderr)
        s.stop()
        r = disco("--data", s.data, "--config", s.config_path, "run", "health_check")
        check(r.returncode == 0, "after the service stopped: " + r.stderr)


def test_a_port_in_use_fails_the_start_before_any_task_runs():
    import socket
    import sqlite3
    with Service() as s:
        blocker = socket.socket()
        blocker.bind(("127.0.0.1", s.port))
        blocker.listen(1)
        try:
            s.log = open(s.log_path, "wb")
            s.proc = subprocess.Popen([BIN, "serve", "--config", s.config_path],
                                      stdout=s.log, stderr=subprocess.STDOUT)
            rc = s.proc.wait(30)
            check(rc != 0, f"exit code {rc}")
            check("Address already in use" in s.output() or "in use" in s.output(), s.output())
            db = os.path.join(s.data, "discotheque.db")
            if os.path.exists(db):
                n = sqlite3.connect(db).execute("SELECT count(*) FROM task_runs").fetchone()[0]
                check(n == 0, f"{n} task runs recorded by a failed start")
        finally:
            blocker.close()


def test_moved_checkout_configures_its_build_afresh():
    tmp = tempfile.mkdtemp(prefix="disco-moved-")
    try:
        os.makedirs(os.path.join(tmp, "scripts"))
        shutil.copy(os.path.join(SOURCE, "scripts", "build"), os.path.join(tmp, "scripts"))
        with open(os.path.join(tmp, "CMakeLists.txt"), "w") as f:
            f.write("cmake_minimum_required(VERSION 3.18)\nproject(moved NONE)\n")
        cache_dir = os.path.join(tmp, "build", "release")
        os.makedirs(cache_dir)
        with open(os.path.join(cache_dir, "CMakeCache.txt"), "w") as f:
            f.write("CMAKE_HOME_DIRECTORY:INTERNAL=/somewhere/else\n")
        r = subprocess.run([os.path.join(tmp, "scripts", "build"), "Release"],
                           capture_output=True, text=True, cwd=tmp, timeout=120)
        check(r.returncode == 0, r.stdout + r.stderr)
        check("afresh" in r.stderr, r.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_ctrl_c_during_run_stops_it_cleanly():
    """SIGINT in the middle of `run scan_local_library`: exit 130 within
    seconds, the database intact, the run recorded as cancelled; the log
    spells the level `warn`."""
    tmp = tempfile.mkdtemp(prefix="disco-sigint-")
    try:
        generate = os.path.join(SOURCE, "tests", "corpus", "generate.py")
        subprocess.run([sys.executable, generate, tmp, "--bench", "2000"], check=True)
        data = os.path.join(tmp, "data")
        db = os.path.join(data, "discotheque.db")
        cfg = os.path.join(tmp, "c.json")
        with open(cfg, "w") as f:
            f.write("{}")
        proc = subprocess.Popen([os.path.abspath(BIN), "--config", cfg, "--data", data,
                                 "--music", os.path.join(tmp, "library"), "run",
                                 "scan_local_library"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        seen = 0
        while time.time() < deadline and proc.poll() is None and seen == 0:
            try:
                seen = sqlite3.connect(db).execute("SELECT count(*) FROM tracks").fetchone()[0]
            except sqlite3.Error:
                pass
            time.sleep(0.01)
        check(proc.poll() is None, "the scan ended before Ctrl-C; use a bigger corpus")
        proc.send_signal(signal.SIGINT)
        sent = time.time()
        try:
            out, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            check(False, "still running 10 s after SIGINT:\n" + err)
        took = time.time() - sent
        check(proc.returncode == 130, f"exit code {proc.returncode}:\n{err}")
        check(took < 10, f"took {took:.1f} s")
        check(" warn  [service] received SIGINT" in err, err)
        check("warning" not in err, err)
        con = sqlite3.connect(db)
        check(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity")
        rows = con.execute("SELECT task, status, error, finished_at FROM task_runs").fetchall()
        check(len(rows) == 1, rows)
        task, status, error, finished = rows[0]
        check(task == "scan_local_library" and status == "failed" and finished is not None
              and "cancelled" in error, rows)
        tracks = con.execute("SELECT count(*) FROM tracks").fetchone()[0]
        check(0 < tracks < 2000, f"{tracks} tracks: not stopped in the middle")
        con.close()
        # The next start finds nothing interrupted: the run was recorded.
        r = disco("--config", cfg, "--data", data, "run", "health_check")
        check(r.returncode == 0, r.stderr)
        con = sqlite3.connect(db)
        error = con.execute("SELECT error FROM task_runs WHERE task = 'scan_local_library'"
                            ).fetchone()[0]
        con.close()
        check("cancelled" in error, error)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    run_tests([
        test_usage_errors_exit_2_and_help_lists_shared_flags_and_tasks,
        test_config_is_found_from_anywhere,
        test_auth_of_an_unknown_provider_and_a_short_api_key,
        test_data_folder_and_files_are_private,
        test_second_process_on_one_data_folder_is_refused,
        test_a_port_in_use_fails_the_start_before_any_task_runs,
        test_moved_checkout_configures_its_build_afresh,
        test_ctrl_c_during_run_stops_it_cleanly,
    ])
