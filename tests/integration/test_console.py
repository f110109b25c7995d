"""`discotheque console` against the real binary: in a pty (readline, as a
person uses it) `actors` lists the supervisor, store, dedup store and the
gateways, `inspect store` shows the commit counters, `tail` shows the
events and messages of a Run Now and ends with `q`; `--once` is the plain
mode for scripts; a wrong key and an unreachable service are clear errors
with their own exit codes (3, 4)."""
import os
import pty
import select
import subprocess
import tempfile
import time

from harness import BIN, Service, check, free_port, run_tests

CONFIG = {"providers": {"deezer": {"enabled": True,
                                   "api_base": "http://127.0.0.1:9/deezer",
                                   "access_token": "dz-token"}}}


def console(s, *args, key=None, timeout=30):
    """`console --once ...` (plain mode): (exit code, stdout, stderr)."""
    cmd = [BIN, "console", "--connect", f"127.0.0.1:{s.port}",
           "--api-key", key or s.api_key()] + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


class Terminal:
    """The console in a pseudo-terminal, read with deadlines."""

    def __init__(self, args, home):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["HOME"] = home
            os.environ["TERM"] = "dumb"
            os.execv(BIN, [BIN, "console"] + args)
        self.out = ""

    def expect(self, text, timeout=20):
        deadline = time.time() + timeout
        while text not in self.out:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError(f"{text!r} not seen; output:\n{self.out[-3000:]}")
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"console ended before {text!r}:\n{self.out[-3000:]}")
                self.out += chunk.decode("utf-8", "replace")
        at = self.out.index(text) + len(text)
        seen, self.out = self.out[:at], self.out[at:]
        return seen

    def send(self, line):
        os.write(self.fd, (line + "\n").encode())

    def wait(self, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            try:
                r, _, _ = select.select([self.fd], [], [], 0.1)
                if r:
                    self.out += os.read(self.fd, 65536).decode("utf-8", "replace")
            except OSError:
                pass
        os.kill(self.pid, 9)
        raise AssertionError("console did not exit:\n" + self.out[-3000:])


def test_interactive_actors_inspect_tail():
    with Service(CONFIG) as s:
        s.start()
        home = tempfile.mkdtemp(prefix="disco-console-")
        t = Terminal(["--connect", f"127.0.0.1:{s.port}", "--api-key", s.api_key()], home)
        t.expect("discotheque> ")
        t.send("actors")
        listing = t.expect("discotheque> ")
        for name in ["supervisor", "store", "dedup_store", "gateway.deezer",
                     "breaker.deezer", "limiter.deezer", "events"]:
            check(f"\n{name} " in listing.replace("\r", ""), (name, listing))
        check("MAILBOX" in listing and "HANDLED" in listing, listing)
        t.send("inspect store")
        shown = t.expect("discotheque> ")
        for field in ["transactions", "last_commit_us", "avg_commit_us",
                      "writes_per_transaction", "commit_us_histogram"]:
            check(f'"{field}"' in shown, (field, shown))
        t.send("tail")
        t.expect("ends it")
        time.sleep(0.3)  # the stream is open
        status, body = s.post("/api/library/tasks/health_check/run")
        if status == 409:  # still running from the start-up cycle
            time.sleep(2)
            status, body = s.post("/api/library/tasks/health_check/run")
        check(status == 202, (status, body))
        t.expect("task_started health_check (manual")
        t.expect("task_finished health_check succeeded")
        time.sleep(0.5)
        t.send("q")
        t.expect("discotheque> ")
        t.send("tasks")
        check("health_check" in t.expect("discotheque> "), "tasks")
        t.send("breakers")
        check("deezer" in t.expect("discotheque> "), "breakers")
        t.send("bogus")
        check("unknown command" in t.expect("discotheque> "), "unknown")
        t.send("quit")
        check(t.wait() == 0, t.out)
        with open(os.path.join(home, ".discotheque_history")) as f:
            history = f.read()
        check("inspect store" in history, history)


def test_tail_shows_the_messages_of_a_run_now():
    with Service(CONFIG) as s:
        s.start()
        p = subprocess.Popen([BIN, "console", "--connect", f"127.0.0.1:{s.port}",
                              "--api-key", s.api_key(), "--tail-seconds", "6",
                              "--once", "tail"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             stdin=subprocess.DEVNULL, text=True)
        time.sleep(1.5)
        status, _ = s.post("/api/library/tasks/health_check/run")
        if status == 409:
            time.sleep(2)
            s.post("/api/library/tasks/health_check/run")
        out, err = p.communicate(timeout=20)
        check(p.returncode == 0, (p.returncode, err))
        check("task_started health_check" in out, out)
        check("task_finished health_check succeeded" in out, out)
        check("message supervisor <- run" in out, out)
        check("message store <- write" in out, out)


def test_once_is_the_plain_mode():
    with Service(CONFIG) as s:
        s.start()
        rc, out, err = console(s, "--once", "actors")
        check(rc == 0, (rc, err))
        for name in ["supervisor", "store", "dedup_store", "gateway.deezer"]:
            check(f"\n{name} " in out, (name, out))
        check("discotheque>" not in out, out)
        rc, out, err = console(s, "--once", "inspect store")
        check(rc == 0 and '"transactions"' in out and '"last_commit_us"' in out, (rc, out, err))
        rc, out, err = console(s, "--once", "run health_check")
        check(rc == 0 and "started health_check" in out, (rc, out, err))
        rc, out, err = console(s, "--once", "inspect nobody")
        check(rc == 1 and "no such actor" in err, (rc, out, err))
        rc, out, err = console(s, "--once", "run no_such_task")
        check(rc == 1, (rc, out, err))
        # commands on a stdin that is no terminal: one per line
        p = subprocess.run([BIN, "console", "--connect", f"127.0.0.1:{s.port}",
                            "--api-key", s.api_key()], input="tasks\nbreakers\n",
                           capture_output=True, text=True, timeout=30)
        check(p.returncode == 0 and "TASK" in p.stdout and "PROVIDER" in p.stdout,
              (p.returncode, p.stdout, p.stderr))


def test_a_wrong_key_or_no_service_is_a_clear_error():
    with Service(CONFIG) as s:
        s.start()
        rc, out, err = console(s, "--once", "actors", key="wrong-key")
        check(rc == 3, (rc, out, err))
        check("refused the API key" in err, err)
        rc, out, err = console(s, "--once", "tail", key="wrong-key")
        check(rc == 3 and "refused the API key" in err, (rc, err))
        home = tempfile.mkdtemp(prefix="disco-console-")
        t = Terminal(["--connect", f"127.0.0.1:{s.port}", "--api-key", "wrong"], home)
        t.expect("refused the API key")
        check(t.wait() == 3, t.out)
    port = free_port()
    p = subprocess.run([BIN, "console", "--connect", f"127.0.0.1:{port}",
                        "--api-key", "k", "--once", "actors"],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 4 and "cannot reach the service" in p.stderr,
          (p.returncode, p.stderr))
    p = subprocess.run([BIN, "console", "--connect", "nonsense", "--api-key", "k",
                        "--once", "actors"], capture_output=True, text=True, timeout=30)
    check(p.returncode == 2, (p.returncode, p.stderr))


if __name__ == "__main__":
    run_tests([test_once_is_the_plain_mode,
               test_a_wrong_key_or_no_service_is_a_clear_error,
               test_tail_shows_the_messages_of_a_run_now,
               test_interactive_actors_inspect_tail])
