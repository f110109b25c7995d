"""Helpers for the cloud-provider integration tests: the fake provider
servers (tests/fakes/fake_providers.py) and runs of the sync tasks.

`sync_probe` (tests/support/sync_probe.cpp) runs the real cloud actors
(gateway, limiter, breaker, token refresher, sources, sync tasks, store)
with a recording stand-in for the dedup store, so these tests check what
the sync hands over; the dedup store's matching is tested on its own."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

from harness import Failure, SOURCE

PROBE = os.environ.get("SYNC_PROBE_BIN", "build/debug/tests/sync_probe")
FAKE = os.path.join(SOURCE, "tests", "fakes", "fake_providers.py")


class FakeProviders:
    def __init__(self, scenario):
        self.tmp = tempfile.mkdtemp(prefix="disco-fake-")
        self.scenario_path = os.path.join(self.tmp, "scenario.json")
        with open(self.scenario_path, "w") as f:
            json.dump(scenario, f)
        self.log_path = os.path.join(self.tmp, "requests.jsonl")
        ready = os.path.join(self.tmp, "port")
        self.proc = subprocess.Popen([sys.executable, FAKE, "--scenario", self.scenario_path,
                                      "--log", self.log_path, "--ready-file", ready],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 10
        while not os.path.exists(ready):
            if time.time() > deadline or self.proc.poll() is not None:
                raise Failure("fake providers did not start: "
                              + self.proc.stderr.read().decode(errors="replace"))
            time.sleep(0.02)
        with open(ready) as f:
            self.port = int(f.read())
        self.base = f"http://127.0.0.1:{self.port}"

    def update(self, changes):
        req = urllib.request.Request(self.base + "/_scenario", data=json.dumps(changes).encode(),
                                     method="POST")
        urllib.request.urlopen(req, timeout=10).read()

    def requests(self, provider=None):
        with urllib.request.urlopen(self.base + "/_log", timeout=30) as r:
            log = json.loads(r.read())
        return [e for e in log if provider is None or e["provider"] == provider]

    def provider_config(self, name, **overrides):
        cfg = {"enabled": True, "rate_per_second": 1000}
        if name == "spotify":
            cfg.update({"api_base": self.base + "/spotify/v1",
                        "auth_base": self.base + "/spotify-accounts",
                        "client_id": "cid", "client_secret": "secret", "refresh_token": "rt-1"})
        elif name == "deezer":
            cfg.update({"api_base": self.base + "/deezer", "access_token": "dz-token"})
        elif name == "tidal":
            cfg.update({"api_base": self.base + "/tidal/v2",
                        "auth_base": self.base + "/tidal-auth",
                        "client_id": "cid", "refresh_token": "rt-1"})
        cfg.update(overrides)
        return cfg

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Probe:
    """A data folder and config; run() executes sync tasks once."""

    def __init__(self, fake, providers, log_level="warn"):
        self.tmp = tempfile.mkdtemp(prefix="disco-probe-")
        self.data = os.path.join(self.tmp, "data")
        self.config = {"data_dir": self.data, "log_level": log_level,
                       "providers": providers}
        self.config_path = os.path.join(self.tmp, "config.json")
        self.write_config()
        self.fake = fake

    def write_config(self):
        # 127.0.0.1 only: MusicBrainz (a public catalogue, on by default)
        # stays off unless a test points it at a fake.
        self.config["providers"].setdefault("musicbrainz", {"enabled": False})
        self.config["providers"].setdefault("coverartarchive", {"enabled": False})
        with open(self.config_path, "w") as f:
            json.dump(self.config, f)

    def run(self, tasks, run_id=1, timeout=300):
        p = subprocess.run([PROBE, self.config_path, ",".join(tasks), str(run_id)],
                           capture_output=True, timeout=timeout)
        if p.returncode != 0:
            raise Failure(f"sync_probe exited {p.returncode}: {p.stderr.decode(errors='replace')}")
        try:
            out = json.loads(p.stdout)
        except ValueError:
            raise Failure("sync_probe printed no JSON: " + p.stdout.decode(errors="replace")[:2000]
                          + p.stderr.decode(errors="replace")[-3000:])
        out["log"] = p.stderr.decode(errors="replace")
        return out

    def db(self):
        return sqlite3.connect(os.path.join(self.data, "discotheque.db"))


def max_in_window(times, window):
    """The largest number of request start times in any half-open window
    [t, t + window) that starts at a request."""
    times = sorted(times)
    best = 0
    j = 0
    for i in range(len(times)):
        while j < len(times) and times[j] < times[i] + window:
            j += 1
        best = max(best, j - i)
    return best
