"""`discotheque auth spotify|tidal`: prints the authorize URL with a 127.0.0.1
redirect, completes the code exchange when the browser comes back (TIDAL
with PKCE), stores the tokens (never printed) in a 0600 database."""
import base64
import hashlib
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


def start_auth(fake, port, tmp, provider="spotify", **overrides):
    cfg = {"data_dir": os.path.join(tmp, "data"), "log_level": "warn",
           "providers": {provider: fake.provider_config(provider, refresh_token="",
                                                        **overrides)}}
    path = os.path.join(tmp, "config.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    proc = subprocess.Popen([BIN, "--config", path, "auth", provider, "--port", str(port),
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


def tidal_auth(fake, tmp, port, forge_verifier=False):
    """Runs `auth tidal` up to the browser's return; gives (proc, cfg, query)."""
    proc, url, cfg = start_auth(fake, port, tmp, "tidal",
                                authorize_url=fake.base + "/tidal-login/authorize")
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    check(url.startswith(fake.base + "/tidal-login/authorize?"), url)
    check(q["code_challenge_method"] == ["S256"], str(q))
    challenge = q["code_challenge"][0]
    check(len(challenge) == 43 and "=" not in challenge, challenge)  # base64url(SHA-256)
    if forge_verifier:  # the fake expects another verifier's challenge
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(b"someone else").digest()).decode().rstrip("=")
    fake.update({"tokens": {"refresh_token": "tidal-rt", "code": "tidal-code",
                            "code_challenge": challenge}})
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/callback?code=tidal-code"
                                f"&state={q['state'][0]}", timeout=5) as r:
        check(r.status == 200, str(r.status))
    return proc, cfg, q


def test_auth_tidal_uses_pkce_and_stores_the_tokens():
    with FakeProviders({}) as fake:
        tmp = tempfile.mkdtemp(prefix="disco-auth-")
        port = free_port()
        proc, cfg, q = tidal_auth(fake, tmp, port)
        check(q["scope"] == ["collection.read playlists.read user.read"], str(q))
        check(q["client_id"] == ["cid"], str(q))
        out, err = proc.communicate(timeout=30)
        check(proc.returncode == 0, f"exit {proc.returncode}: {err.decode()}")
        text = out.decode() + err.decode()
        check("TIDAL is authorized" in text, text)
        check("tidal-rt" not in text and "tidal-access-" not in text, "a token was printed")
        token_calls = [r for r in fake.requests("tidal-auth")]
        check(len(token_calls) == 1 and token_calls[0]["path"].endswith("/v1/oauth2/token"),
              str(token_calls))
        db_path = os.path.join(cfg["data_dir"], "discotheque.db")
        check(os.stat(db_path).st_mode & 0o077 == 0, oct(os.stat(db_path).st_mode))
        row = sqlite3.connect(db_path).execute(
            "SELECT access_token, refresh_token FROM provider_tokens "
            "WHERE provider='tidal'").fetchone()
        check(row and row[0].startswith("tidal-access-") and row[1] == "tidal-rt", str(row))


def test_auth_tidal_with_a_wrong_verifier_fails_cleanly():
    with FakeProviders({}) as fake:
        tmp = tempfile.mkdtemp(prefix="disco-auth-")
        proc, cfg, _ = tidal_auth(fake, tmp, free_port(), forge_verifier=True)
        out, err = proc.communicate(timeout=30)
        check(proc.returncode == 1, f"exit {proc.returncode}")
        check("PKCE verification failed" in err.decode(), err.decode())
        db_path = os.path.join(cfg["data_dir"], "discotheque.db")
        if os.path.exists(db_path):
            row = sqlite3.connect(db_path).execute(
                "SELECT count(*) FROM provider_tokens").fetchone()
            check(row[0] == 0, "tokens stored after a failed exchange")


def test_auth_deezer_is_refused_with_a_hint():
    tmp = tempfile.mkdtemp(prefix="disco-auth-")
    path = os.path.join(tmp, "config.json")
    with open(path, "w") as f:
        json.dump({"data_dir": os.path.join(tmp, "data")}, f)
    p = subprocess.run([BIN, "--config", path, "auth", "deezer"], capture_output=True,
                       timeout=30)
    check(p.returncode == 2, f"exit {p.returncode}")
    check("access_token" in p.stderr.decode(), p.stderr.decode())


if __name__ == "__main__":
    run_tests([test_auth_spotify_completes_the_code_exchange,
               test_auth_with_a_bad_code_fails_cleanly,
               test_auth_tidal_uses_pkce_and_stores_the_tokens,
               test_auth_tidal_with_a_wrong_verifier_fails_cleanly,
               test_auth_deezer_is_refused_with_a_hint])
