"""`discotheque auth spotify`: prints the authorize URL with a 127.0.0.1
redirect, completes the code exchange when the browser comes back, stores
the tokens (never printed) in a 0600 database."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, check, free_port, run_tests  # noqa: E402
from cloud import FakeProviders  # noqa: E402


def start_auth(fake, port, tmp):
    cfg = {"data_dir": os.path.join(tmp, "data"), "log_level": "warn",
           "providers": {"spotify": fake.provider_config("spotify", refresh_token="")}}
    path = os.path.join(tmp, "config.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    proc = subprocess.Popen([BIN, "--config", path, "auth", "spotify", "--port", str(port),
                             "--timeout", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = None
    deadline = time.time() + 10
    while time.time() < deadline and url is None:
        line = proc.stdout.readline().decode()
        if "/authorize?" in line:
            url = line.strip()
    check(url is not None, "no authorize URL printed")
    return proc, url, cfg


def test_auth_spotify_completes_the_code_exchange():
    with FakeProviders({"tokens": {"refresh_token": "rt-xyz", "code": "good-code"}}) as fake:
        tmp = tempfile.mkdtemp(prefix="disco-auth-")
        port = free_port()
        proc, url, cfg = start_auth(fake, port, tmp)
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        check(url.startswith(fake.base + "/spotify-accounts/authorize?"), url)
        check(q["redirect_uri"] == [f"http://127.0.0.1:{port}/callback"], str(q))
        check(q["response_type"] == ["code"] and q["client_id"] == ["cid"], str(q))
        check("user-library-read" in q["scope"][0] and "playlist-read-private" in q["scope"][0], str(q))
        state = q["state"][0]
        # a forged callback (wrong state) is refused
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/callback?code=good-code&state=forged", timeout=5)
            check(False, "forged state accepted")
        except urllib.error.HTTPError as e:
            check(e.code == 400, str(e.code))
        # the browser comes back
        with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/callback?code=good-code&state={state}", timeout=5) as r:
            check(r.status == 200, str(r.status))
        out, err = proc.communicate(timeout=30)
        check(proc.returncode == 0, f"exit {proc.returncode}: {err.decode()}")
        text = out.decode() + err.decode()
        check("rt-xyz" not in text and "spotify-access-" not in text, "a token was printed")
        db_path = os.path.join(cfg["data_dir"], "discotheque.db")
        check(os.stat(db_path).st_mode & 0o077 == 0, oct(os.stat(db_path).st_mode))
        row = sqlite3.connect(db_path).execute(
            "SELECT access_token, refresh_token, expires_at FROM provider_tokens "
            "WHERE provider='spotify'").fetchone()
        check(row and row[0].startswith("spotify-access-") and row[1] == "rt-xyz"
              and row[2] > time.time() * 1000, str(row))


def test_auth_with_a_bad_code_fails_cleanly():
    with FakeProviders({"tokens": {"code": "good-code"}}) as fake:
        tmp = tempfile.mkdtemp(prefix="disco-auth-")
        port = free_port()
        proc, url, _ = start_auth(fake, port, tmp)
        state = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["state"][0]
        urllib.request.urlopen(f"http://127.0.0.1:{port}/callback?code=bad&state={state}", timeout=5)
        out, err = proc.communicate(timeout=30)
        check(proc.returncode == 1, f"exit {proc.returncode}")
        check("invalid_grant" in err.decode(), err.decode())


if __name__ == "__main__":
    run_tests([test_auth_spotify_completes_the_code_exchange,
               test_auth_with_a_bad_code_fails_cleanly])
