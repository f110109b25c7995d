"""The service starts, answers /api/health, stops cleanly on SIGTERM/SIGINT,
and refuses bad configurations with one clear line."""
import json
import os
import signal
import socket
import sqlite3
import subprocess
import tempfile

from harness import BIN, Service, check, free_port, run_tests


def test_health_and_clean_shutdown():
    with Service() as svc:
        svc.start()
        status, body = svc.get("/api/health")
        check(status == 200, f"health status {status}")
        check(body["status"] == "healthy", body)
        check(isinstance(body["uptime_seconds"], int), body)
        check(body["version"], body)
        rc = svc.stop(signal.SIGTERM)
        check(rc == 0, f"exit code {rc} after SIGTERM")
        out = svc.output()
        check("stopped cleanly" in out, out)
        # Every log line names its component.
        for line in out.strip().splitlines():
            check(" [" in line and "] " in line, f"log line without component: {line}")
        db = sqlite3.connect(os.path.join(svc.data, "discotheque.db"))
        check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity")
        check(db.execute("PRAGMA user_version").fetchone()[0] >= 1, "schema version")


def test_sigint_also_stops_cleanly():
    with Service() as svc:
        svc.start()
        check(svc.stop(signal.SIGINT) == 0, "exit code after SIGINT")


def test_flags_override_config():
    with Service() as svc:
        other = os.path.join(svc.tmp, "elsewhere")
        port = free_port()
        svc.args = ["--data", other, "--listen", f"127.0.0.1:{port}", "--log-level", "debug"]
        svc.start(wait=False)
        svc.port = port
        svc.data = other
        svc.wait_ready()
        check(os.path.exists(os.path.join(other, "discotheque.db")), "db in --data folder")
        check(svc.stop() == 0, "clean stop")


def run_bad(config, extra=None):
    """Starts with a bad config; returns (exit code, stderr lines)."""
    tmp = tempfile.mkdtemp(prefix="disco-bad-")
    path = os.path.join(tmp, "config.json")
    with open(path, "w") as f:
        f.write(config if isinstance(config, str) else json.dumps(config))
    p = subprocess.run([BIN, "serve", "--config", path] + (extra or []),
                       capture_output=True, text=True, timeout=30)
    return p.returncode, [l for l in p.stderr.splitlines() if l.strip()]


def test_bad_configs_fail_with_one_clear_line():
    tmp = tempfile.mkdtemp(prefix="disco-bad-data-")
    data = os.path.join(tmp, "d")
    cases = [
        ({"data_dir": data, "colour": "blue"}, "unknown config key 'colour'"),
        ({"data_dir": data, "http": {"threads": "two"}}, "'http.threads' must be an integer"),
        ({"data_dir": data, "music_dirs": "/music"}, "'music_dirs' must be an array"),
        ({"data_dir": data, "providers": {"napster": {}}}, "unknown config key 'providers.napster'"),
        ({"data_dir": data, "listen": "nonsense"}, "HOST:PORT"),
        ('{"data_dir": ', "not valid JSON"),
    ]
    for cfg, expected in cases:
        rc, lines = run_bad(cfg)
        check(rc != 0, f"{cfg!r} exited 0")
        check(len(lines) == 1 and expected in lines[0], f"{cfg!r}: {lines}")
    # A data folder that cannot be created (a file is in the way).
    blocker = os.path.join(tmp, "file")
    open(blocker, "w").close()
    rc, lines = run_bad({"data_dir": os.path.join(blocker, "sub")})
    check(rc != 0 and len(lines) == 1 and "data folder" in lines[0], lines)


def test_port_in_use_is_a_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        tmp = tempfile.mkdtemp(prefix="disco-port-")
        rc, lines = run_bad({"data_dir": os.path.join(tmp, "d"), "listen": f"127.0.0.1:{port}"})
        check(rc != 0, "exit code")
        errors = [l for l in lines if "cannot listen" in l]
        check(len(errors) == 1 and "in use" in errors[0], lines)


def test_version():
    p = subprocess.run([BIN, "version"], capture_output=True, text=True, timeout=10)
    check(p.returncode == 0 and p.stdout.startswith("discotheque "), p.stdout)


if __name__ == "__main__":
    run_tests([test_health_and_clean_shutdown, test_sigint_also_stops_cleanly,
               test_flags_override_config, test_bad_configs_fail_with_one_clear_line,
               test_port_in_use_is_a_clear_error, test_version])
