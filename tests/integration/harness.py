"""Shared helpers for the integration tests: start the real discotheque
binary on 127.0.0.1 with a throw-away data folder, talk HTTP to it, stop it.

Standard library only (python3 is a Debian package)."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

BIN = os.environ.get("DISCOTHEQUE_BIN", "build/release/discotheque")
SOURCE = os.environ.get("DISCOTHEQUE_SOURCE", os.getcwd())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


class Service:
    """One running `discotheque serve` with its own data folder and config."""

    def __init__(self, config=None, args=None, data=None):
        self.tmp = tempfile.mkdtemp(prefix="disco-it-")
        self.data = data or os.path.join(self.tmp, "data")
        self.port = free_port()
        cfg = {"data_dir": self.data, "listen": f"127.0.0.1:{self.port}",
               "log_level": "info"}
        cfg.update(config or {})
        # Tests talk to 127.0.0.1 only: MusicBrainz (a public catalogue, on
        # by default) stays off unless a test points it at a fake.
        # The same for the Cover Art Archive.
        cfg.setdefault("providers", {}).setdefault("musicbrainz", {"enabled": False})
        cfg["providers"].setdefault("coverartarchive", {"enabled": False})
        self.config_path = os.path.join(self.tmp, "config.json")
        with open(self.config_path, "w") as f:
            json.dump(cfg, f)
        self.args = args or []
        self.proc = None
        self.log_path = os.path.join(self.tmp, "service.log")

    def start(self, wait=True):
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--config", self.config_path] + self.args,
            stdout=self.log, stderr=subprocess.STDOUT)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise Failure(f"service exited early with {self.proc.returncode}:\n{self.output()}")
            try:
                status, _ = self.get("/api/health", key=False)
                if status in (200, 503):
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise Failure("service did not become ready:\n" + self.output())

    def output(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def api_key(self):
        path = os.path.join(self.data, "api_key")
        with open(path) as f:
            return f.read().strip()

    def request(self, method, path, body=None, key=True, headers=None, timeout=30):
        url = f"http://127.0.0.1:{self.port}{path}"
        data = None
        hdrs = dict(headers or {})
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        if key:
            hdrs["X-Api-Key"] = self.api_key()
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw) if raw else None
            except ValueError:
                return e.code, raw

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def raw(self, method, path, headers=None, key=False, timeout=30):
        """(status, headers, body bytes) for answers that are not JSON
        (images, the dashboard's files)."""
        hdrs = dict(headers or {})
        if key:
            hdrs["X-Api-Key"] = self.api_key()
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                     headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body if body is not None else b"", **kw)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise Failure("service did not stop within %ss:\n%s" % (timeout, self.output()))
        return self.proc.returncode if self.proc else None

    def cleanup(self):
        try:
            if self.proc and self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:
            sys.stderr.write("---- service output ----\n" + self.output() + "\n")
        self.cleanup()


def wait_for(pred, timeout=60, what="condition"):
    """Polls `pred` every 50 ms until it returns something true (returned)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def run_task(svc, task):
    """Run Now of `task` on a running service; waits until that run ended
    and checks it succeeded."""
    def last():
        return svc.get(f"/api/library/tasks/{task}")[1]
    # The startup cycle may be running it already.
    wait_for(lambda: not last()["running"], what=f"{task} idle")
    before = last()["last_run"]
    s, body = svc.post(f"/api/library/tasks/{task}/run")
    check(s == 202, (s, body))
    wait_for(lambda: last()["last_run"] != before and not last()["running"], what=task)
    check(last()["last_status"] == "succeeded", last())


def run_tests(tests):
    """Runs the given test functions; prints one line each and a summary line
    ('N passed, N failed') that ctest and CI read; exits non-zero on failure."""
    passed = failed = 0
    for t in tests:
        start = time.time()
        try:
            t()
            passed += 1
            print(f"PASS {t.__name__} ({time.time() - start:.1f}s)", flush=True)
        except Exception as e:  # noqa: BLE001 - report every failure kind
            failed += 1
            import traceback
            traceback.print_exc()
            print(f"FAIL {t.__name__}: {e}", flush=True)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
