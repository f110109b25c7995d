#!/usr/bin/env python3
"""Fake Spotify / Deezer / TIDAL servers for tests, on 127.0.0.1.

One ThreadingHTTPServer speaks all three wire formats, under path prefixes:
  /spotify/v1/...          Spotify Web API   (api_base  http://127.0.0.1:PORT/spotify/v1)
  /spotify-accounts/...    Spotify accounts  (auth_base http://127.0.0.1:PORT/spotify-accounts)
  /deezer/...              Deezer API        (api_base  http://127.0.0.1:PORT/deezer)
  /tidal/v2/...            TIDAL API v2      (api_base  http://127.0.0.1:PORT/tidal/v2)
  /tidal-auth/...          TIDAL auth        (auth_base http://127.0.0.1:PORT/tidal-auth)
Control:
  GET  /_log               every request so far (JSON list)
  POST /_scenario          merge a JSON object into the scenario (e.g. unlike tracks)

Generated accounts are built from the real fixture bodies in tests/fixtures/ (ids,
names and ISRCs replaced). Track i of the catalogue has ISRC TESTI{i:07d} on every
provider, so the same track from Spotify, Deezer and TIDAL can be matched.

Scenario (JSON, all keys optional):
{
  "spotify": {"liked": [0, 1, ...] | N, "saved": [album ids], "followed": [artist ids],
              "playlists": [{"id": "p1", "name": "...", "tracks": [i, ...],
                             "owner": true}],   # false: someone else's playlist
              "page_size": 50, "items_endpoint": true,
              "user_id": "fakeuser"},          # GET /me (Deezer /user/me, TIDAL /users/me)
  "deezer":  {... same ..., "access_token": "dz-token"},
  "tidal":   {... same ...},
  "catalogue": {"albums_per_artist": 2, "tracks_per_album": 3, "track_ms": 180000},
  "tokens": {"refresh_token": "rt-1", "expires_in": 3600, "code": "good-code",
             "code_challenge": "...",         # set: PKCE verifier checked (TIDAL)
             "expire_after_requests": 0,        # >0: a token dies after N API calls
             "rotate_refresh": false},
  "faults": [{"provider": "spotify", "path": "/me/tracks", "kind": "status",
              "status": 429, "retry_after": "1", "count": 3, "every": 1,
              "delay": 0, "code": 4}]
      kinds: status (HTTP status + optional Retry-After), slow (sleep `delay` s, then answer),
             malformed (truncated JSON), deezer_error (HTTP 200 {"error":{"code":...}}),
             hostile (wrong types, huge strings, invalid UTF-8), huge (a 1,000,000-item page)
      count: how many times (-1 = forever); every: only every Nth matching request
      The token endpoints ("provider": "spotify-accounts" / "tidal-auth", named
      explicitly) take kinds status (with "error": the OAuth error code) and slow.
}
Every request is logged with its start time to --log (JSONL) if given.
"""
import argparse
import base64
import copy
import hashlib
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures")


def load_fixture(rel):
    with open(os.path.join(FIXTURES, rel), "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def strip_markets(obj):
    """Dev-mode Spotify apps no longer get available_markets (Feb 2026);
    dropping it keeps generated pages small."""
    if isinstance(obj, dict):
        obj.pop("available_markets", None)
        for v in obj.values():
            strip_markets(v)
    elif isinstance(obj, list):
        for v in obj:
            strip_markets(v)
    return obj


SP_TRACK_ITEM = strip_markets(load_fixture("spotify/java_GetUsersSavedTracksRequest.json")["items"][0])
SP_ALBUM_ITEM = strip_markets(load_fixture("spotify/java_GetCurrentUsersSavedAlbumsRequest.json")["items"][0])
SP_ARTIST = load_fixture("spotify/js_followed_artists.json")["artists"]["items"][0]
SP_PLAYLIST = load_fixture("spotify/java_GetListOfCurrentUsersPlaylistsRequest.json")["items"][0]
DZ_TRACK = load_fixture("deezer/user_me_tracks.json")["data"][0]
DZ_ALBUM = load_fixture("deezer/user_me_albums.json")["data"][0]
DZ_ARTIST = load_fixture("deezer/user_me_artists.json")["data"][0]
DZ_PLAYLIST = load_fixture("deezer/user_359622_playlists.json")["data"][0]


class Catalogue:
    """Track i belongs to album i // tpa, album a to artist a // apa."""

    def __init__(self, cfg):
        self.tpa = int(cfg.get("tracks_per_album", 3))
        self.apa = int(cfg.get("albums_per_artist", 2))
        # Track i lasts track_ms + i milliseconds.
        self.track_ms = int(cfg.get("track_ms", 180000))

    def album_of(self, i):
        return i // self.tpa

    def artist_of_album(self, a):
        return a // self.apa

    def tracks_of_album(self, a):
        return list(range(a * self.tpa, (a + 1) * self.tpa))

    def albums_of_artist(self, r):
        return list(range(r * self.apa, (r + 1) * self.apa))


def isrc(i):
    return f"TESTI{i:07d}"


def upc(a):
    return f"{a:012d}"


# --- Spotify bodies ---------------------------------------------------------

def sp_artist(r):
    a = copy.deepcopy(SP_ARTIST)
    a.update({"id": f"spar{r}", "name": f"Artist {r}", "uri": f"spotify:artist:spar{r}",
              "href": f"https://api.spotify.com/v1/artists/spar{r}"})
    return a


def sp_simple_artist(r):
    return {"id": f"spar{r}", "name": f"Artist {r}", "type": "artist",
            "uri": f"spotify:artist:spar{r}"}


def sp_album(cat, a, with_tracks=False):
    al = copy.deepcopy(SP_ALBUM_ITEM["album"])
    al.update({"id": f"spal{a}", "name": f"Album {a}", "uri": f"spotify:album:spal{a}",
               "artists": [sp_simple_artist(cat.artist_of_album(a))],
               "external_ids": {"upc": upc(a)}, "total_tracks": cat.tpa,
               "release_date": "2001-02-03", "album_type": "album"})
    if with_tracks:
        al["tracks"] = {"items": [sp_simple_track(cat, i) for i in cat.tracks_of_album(a)],
                        "total": cat.tpa, "limit": 50, "offset": 0, "next": None}
    else:
        al.pop("tracks", None)
    return al


def sp_simple_track(cat, i):
    return {"id": f"sptr{i}", "name": f"Track {i}", "type": "track",
            "artists": [sp_simple_artist(cat.artist_of_album(cat.album_of(i)))],
            "track_number": i % cat.tpa + 1, "disc_number": 1, "duration_ms": cat.track_ms + i,
            "uri": f"spotify:track:sptr{i}"}


def sp_track(cat, i):
    t = copy.deepcopy(SP_TRACK_ITEM["track"])
    a = cat.album_of(i)
    t.update(sp_simple_track(cat, i))
    t["album"] = sp_album(cat, a)
    t["external_ids"] = {"isrc": isrc(i)}
    return t


# --- Deezer bodies ----------------------------------------------------------

def dz_artist(r):
    a = copy.deepcopy(DZ_ARTIST)
    a.update({"id": 500000 + r, "name": f"Artist {r}"})
    return a


def dz_album(cat, a):
    al = copy.deepcopy(DZ_ALBUM)
    al.update({"id": 300000 + a, "title": f"Album {a}", "nb_tracks": cat.tpa,
               "record_type": "album", "release_date": "2001-02-03"})
    r = cat.artist_of_album(a)
    al["artist"] = {"id": 500000 + r, "name": f"Artist {r}", "type": "artist"}
    return al


def dz_track(cat, i):
    t = copy.deepcopy(DZ_TRACK)
    a = cat.album_of(i)
    r = cat.artist_of_album(a)
    t.update({"id": 100000 + i, "title": f"Track {i}", "duration": 180 + i % 60,
              "time_add": 1633802081 + i})
    t["album"] = {"id": 300000 + a, "title": f"Album {a}", "type": "album",
                  # 127.0.0.1 only (port 9 refuses at once): a test that runs
                  # enrich_images never reaches the real CDN
                  "cover_xl": f"http://127.0.0.1:9/images/cover/{a}/1000x1000-000000-80-0-0.jpg"}
    t["artist"] = {"id": 500000 + r, "name": f"Artist {r}", "type": "artist"}
    return t


# --- TIDAL bodies -----------------------------------------------------------

def td_artist(r):
    return {"id": str(700000 + r), "type": "artists",
            "attributes": {"name": f"Artist {r}", "popularity": 0.5}}


def td_album(cat, a):
    r = cat.artist_of_album(a)
    return {"id": str(800000 + a), "type": "albums",
            "attributes": {"title": f"Album {a}", "barcodeId": upc(a), "numberOfVolumes": 1,
                           "numberOfItems": cat.tpa, "releaseDate": "2001-02-03",
                           "type": "ALBUM", "duration": "PT9M"},
            "relationships": {"artists": {"data": [{"id": str(700000 + r), "type": "artists"}]}}}


def td_track(cat, i):
    a = cat.album_of(i)
    r = cat.artist_of_album(a)
    return {"id": str(900000 + i), "type": "tracks",
            "attributes": {"title": f"Track {i}", "isrc": isrc(i), "duration": "PT3M%dS" % (i % 60),
                           "explicit": False},
            "relationships": {"artists": {"data": [{"id": str(700000 + r), "type": "artists"}]},
                              "albums": {"data": [{"id": str(800000 + a), "type": "albums"}]}}}


# --- the server -------------------------------------------------------------

class State:
    def __init__(self, scenario, log_path):
        self.lock = threading.Lock()
        self.scenario = scenario
        self.log = []
        self.log_file = open(log_path, "a") if log_path else None
        self.fault_hits = {}
        self.page_cache = {}
        self.tokens = {}          # access token -> {"provider", "uses"}
        self.token_counter = 0

    def prov(self, name):
        p = self.scenario.get(name, {})
        liked = p.get("liked", [])
        if isinstance(liked, int):
            p["liked"] = list(range(liked))
        return p

    def record(self, entry):
        with self.lock:
            self.log.append(entry)
            if self.log_file:
                self.log_file.write(json.dumps(entry) + "\n")
                self.log_file.flush()

    def fault_for(self, provider, path, explicit=False):
        with self.lock:
            for idx, f in enumerate(self.scenario.get("faults", [])):
                if f.get("provider", None if explicit else provider) != provider:
                    continue
                if f.get("path", "") not in path:
                    continue
                count = f.get("count", -1)
                if count == 0:
                    continue
                hits = self.fault_hits.get(idx, 0) + 1
                self.fault_hits[idx] = hits
                if hits % int(f.get("every", 1)) != 0:
                    continue
                if count > 0:
                    f["count"] = count - 1
                return f
        return None

    def new_token(self, provider):
        with self.lock:
            self.token_counter += 1
            tok = f"{provider}-access-{self.token_counter}"
            self.tokens[tok] = {"provider": provider, "uses": 0}
            return tok

    def check_token(self, provider, tok):
        """True if `tok` is valid (and counts its use)."""
        limit = int(self.scenario.get("tokens", {}).get("expire_after_requests", 0))
        with self.lock:
            info = self.tokens.get(tok)
            if info is None:
                preset = self.scenario.get(provider, {}).get("access_token")
                if preset and tok == preset:
                    return True
                return False
            info["uses"] += 1
            if limit and info["uses"] > limit:
                return False
            return True


def paged_offset(items, query, default_limit, max_limit):
    offset = int(query.get("offset", ["0"])[0] or 0)
    limit = min(int(query.get("limit", [str(default_limit)])[0] or default_limit), max_limit,
                default_limit)
    return items[offset:offset + limit], offset, limit


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes: without this, Nagle + delayed
    # ACK stall every response by ~40 ms
    disable_nagle_algorithm = True
    server_version = "FakeProviders/1.0"

    def log_message(self, fmt, *args):  # quiet
        pass

    # -- plumbing
    def send_body(self, status, body, headers=None, ctype="application/json; charset=utf-8"):
        if isinstance(body, (dict, list)) or body is True or body is False:
            raw = json.dumps(body).encode()
            key = getattr(self, "capture", None)
            if key is not None and status == 200:
                self.server.state.page_cache[key] = raw
                self.capture = None
        elif isinstance(body, str):
            raw = body.encode("utf-8", "surrogateescape")
        else:
            raw = body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)
        self.status_sent = status

    def base(self):
        host = self.headers.get("Host", "127.0.0.1")
        return f"http://{host}"

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def handle_any(self, method):
        st = self.server.state
        started = time.time()
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path
        query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length) if length else b""
        provider = path.split("/")[1] if path.count("/") >= 1 else ""
        self.status_sent = 0
        self.capture = None
        try:
            self.route(method, provider, path, query, body)
        except BrokenPipeError:
            pass
        except Exception as e:  # a bug in the fake: say so loudly
            self.send_body(500, {"fake_error": repr(e)})
        if not path.startswith("/_"):
            st.record({"t": started, "end": time.time(), "method": method, "provider": provider,
                       "path": path, "query": parsed.query, "status": self.status_sent,
                       "auth": self.headers.get("Authorization", ""),
                       "ua": self.headers.get("User-Agent", "")})

    def route(self, method, provider, path, query, body):
        st = self.server.state
        if path == "/_log":
            with st.lock:
                return self.send_body(200, list(st.log))
        if path == "/_scenario" and method == "POST":
            upd = json.loads(body or b"{}")
            with st.lock:
                for k, v in upd.items():
                    if isinstance(v, dict) and isinstance(st.scenario.get(k), dict):
                        st.scenario[k].update(v)
                    else:
                        st.scenario[k] = v
                st.fault_hits = {}
            return self.send_body(200, {"ok": True})
        if provider in ("spotify-accounts", "tidal-auth"):
            # token endpoint faults name the endpoint ("spotify-accounts")
            fault = st.fault_for(provider, path, explicit=True)
            if fault and fault.get("kind", "status") == "slow":
                time.sleep(float(fault.get("delay", 1)))
            elif fault:
                hdrs = {}
                if "retry_after" in fault:
                    hdrs["Retry-After"] = str(fault["retry_after"])
                return self.send_body(int(fault.get("status", 503)),
                                      {"error": fault.get("error", "temporarily_unavailable")},
                                      hdrs)
            return self.token_endpoint(provider.split("-")[0], body)
        fault = st.fault_for(provider, path)
        if fault:
            kind = fault.get("kind", "status")
            if kind == "slow":
                time.sleep(float(fault.get("delay", 1)))
            elif kind == "status":
                status = int(fault.get("status", 500))
                hdrs = {}
                if "retry_after" in fault:
                    hdrs["Retry-After"] = str(fault["retry_after"])
                if provider == "tidal":
                    err = {"errors": [{"status": str(status), "detail": "fake fault"}]}
                else:
                    err = {"error": {"status": status, "message": "fake fault"}}
                return self.send_body(status, err, hdrs)
            elif kind == "malformed":
                return self.send_body(200, '{"items": [{"track": {"id": "x"')
            elif kind == "deezer_error":
                code = int(fault.get("code", 4))
                return self.send_body(200, {"error": {"type": "Exception",
                                                      "message": "Quota limit exceeded" if code == 4 else "fake",
                                                      "code": code}})
            elif kind == "huge":
                n = 1000000
                if provider == "deezer":
                    return self.send_body(200, '{"data":[' + ",".join(["{}"] * n) + '],"total":1}')
                return self.send_body(200, '{"items":[' + ",".join(["{}"] * n) + '],"total":1}')
            elif kind == "hostile":
                return self.hostile(provider)
        if st.scenario.get("cache_pages") and method == "GET":
            # benchmarks: serve a rendered page again without rendering it
            key = (path, tuple(sorted((k, v[0]) for k, v in query.items()
                                      if k != "access_token")),
                   self.headers.get("Authorization", "")[:7])
            cached = st.page_cache.get(key)
            if cached is not None:
                return self.send_body(200, cached)
            self.capture = key
        if provider == "spotify":
            return self.spotify(method, path[len("/spotify/v1"):], query)
        if provider == "deezer":
            return self.deezer(method, path[len("/deezer"):], query)
        if provider == "tidal":
            return self.tidal(method, path[len("/tidal/v2"):], query)
        return self.send_body(404, {"error": {"status": 404, "message": "no such fake"}})

    def hostile(self, provider):
        bad = b'{"items":[{"track":{"id":"hostile1","name":"\xff\xfe bad utf8","artists":"nope",' \
              b'"duration_ms":"long"}},{"track":{"id":17,"name":"' + b"x" * 200000 + b'"}},42,null],' \
              b'"next":null,"total":"many"}'
        if provider == "deezer":
            bad = b'{"data":[{"id":"h1","title":"\xc3\x28","duration":"x","artist":[]},7],"total":2}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(bad)))
        self.end_headers()
        self.wfile.write(bad)
        self.status_sent = 200

    # -- OAuth token endpoint (Spotify and TIDAL shapes are the same)
    def token_endpoint(self, provider, body):
        st = self.server.state
        form = urllib.parse.parse_qs(body.decode())
        grant = form.get("grant_type", [""])[0]
        tokens = st.scenario.get("tokens", {})
        if grant == "refresh_token":
            if form.get("refresh_token", [""])[0] != tokens.get("refresh_token", "rt-1"):
                return self.send_body(400, {"error": "invalid_grant",
                                            "error_description": "Invalid refresh token"})
        elif grant == "authorization_code":
            if form.get("code", [""])[0] != tokens.get("code", "good-code"):
                return self.send_body(400, {"error": "invalid_grant",
                                            "error_description": "Invalid authorization code"})
            # PKCE (TIDAL): the verifier must hash to the challenge the
            # authorize URL carried (the test hands it over via /_scenario).
            challenge = tokens.get("code_challenge")
            if challenge is not None:
                verifier = form.get("code_verifier", [""])[0]
                digest = hashlib.sha256(verifier.encode()).digest()
                if base64.urlsafe_b64encode(digest).decode().rstrip("=") != challenge:
                    return self.send_body(400, {"error": "invalid_grant",
                                                "error_description": "PKCE verification failed"})
            if (not self.headers.get("Authorization", "").startswith("Basic ")
                    and not form.get("client_id", [""])[0]):
                return self.send_body(401, {"error": "invalid_client"})
        else:
            return self.send_body(400, {"error": "unsupported_grant_type"})
        tok = st.new_token(provider)
        out = {"access_token": tok, "token_type": "Bearer",
               "scope": "user-library-read user-follow-read playlist-read-private",
               "expires_in": int(tokens.get("expires_in", 3600))}
        if grant == "authorization_code" or tokens.get("rotate_refresh"):
            out["refresh_token"] = tokens.get("refresh_token", "rt-1")
        return self.send_body(200, out)

    def bearer_ok(self, provider):
        auth = self.headers.get("Authorization", "")
        tok = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        return self.server.state.check_token(provider, tok)

    # -- Spotify
    def spotify(self, method, path, query):
        st = self.server.state
        if not self.bearer_ok("spotify"):
            return self.send_body(401, {"error": {"status": 401, "message": "The access token expired"}})
        p = st.prov("spotify")
        cat = Catalogue(st.scenario.get("catalogue", {}))
        size = int(p.get("page_size", 50))
        base = self.base() + "/spotify/v1"

        def paging(all_items, render, endpoint, max_limit=50, extra=""):
            items, offset, limit = paged_offset(all_items, query, size, max_limit)
            nxt = None
            if offset + limit < len(all_items):
                nxt = f"{base}{endpoint}?offset={offset + limit}&limit={limit}{extra}"
            return {"href": f"{base}{endpoint}?offset={offset}&limit={limit}{extra}",
                    "items": [render(x) for x in items], "limit": limit, "next": nxt,
                    "offset": offset, "previous": None, "total": len(all_items)}

        if path == "/me":  # the current user's profile
            uid = p.get("user_id", "fakeuser")
            return self.send_body(200, {"display_name": "Fake User", "id": uid, "type": "user",
                                        "uri": f"spotify:user:{uid}",
                                        "href": f"{base}/users/{uid}"})
        if path == "/me/tracks":
            return self.send_body(200, paging(p.get("liked", []), lambda i: {
                "added_at": "2026-01-01T00:00:00Z", "track": sp_track(cat, i)}, "/me/tracks"))
        if path == "/me/albums":
            return self.send_body(200, paging(p.get("saved", []), lambda a: {
                "added_at": "2026-01-01T00:00:00Z", "album": sp_album(cat, a, True)}, "/me/albums"))
        if path == "/me/following":
            followed = p.get("followed", [])
            after = query.get("after", [""])[0]
            limit = min(int(query.get("limit", [str(size)])[0]), 50)
            start = followed.index(int(after[4:])) + 1 if after.startswith("spar") else 0
            chunk = followed[start:start + limit]
            more = start + limit < len(followed)
            last = f"spar{chunk[-1]}" if chunk else None
            return self.send_body(200, {"artists": {
                "items": [sp_artist(r) for r in chunk],
                "next": f"{base}/me/following?type=artist&after={last}&limit={limit}" if more else None,
                "total": len(followed), "cursors": {"after": last if more else None},
                "limit": limit, "href": f"{base}/me/following?type=artist&limit={limit}"}})
        if path.startswith("/artists/") and path.endswith("/albums"):
            r = int(path.split("/")[2][4:])
            return self.send_body(200, paging(cat.albums_of_artist(r), lambda a: sp_album(cat, a),
                                              path, 10, "&include_groups=album,single,compilation"))
        if path.startswith("/albums/") and path.endswith("/tracks"):
            a = int(path.split("/")[2][4:])
            return self.send_body(200, paging(cat.tracks_of_album(a), lambda i: sp_simple_track(cat, i), path))
        if path == "/me/playlists":
            def render(pl):
                x = copy.deepcopy(SP_PLAYLIST)
                x.update({"id": pl["id"], "name": pl.get("name", pl["id"]),
                          "snapshot_id": pl.get("snapshot", "snap-1"),
                          "description": pl.get("description", "")})
                x["owner"] = {"id": p.get("user_id", "fakeuser") if pl.get("owner", True)
                              else "someone", "type": "user"}
                x.pop("tracks", None)
                x["items"] = {"href": f"{base}/playlists/{pl['id']}/items", "total": len(pl.get("tracks", []))}
                return x
            return self.send_body(200, paging(p.get("playlists", []), render, "/me/playlists"))
        if path.startswith("/playlists/"):
            parts = path.split("/")
            pid, kind = parts[2], parts[3] if len(parts) > 3 else ""
            pl = next((x for x in p.get("playlists", []) if x["id"] == pid), None)
            if pl is None:
                return self.send_body(404, {"error": {"status": 404, "message": "Not found."}})
            if kind == "items" and not p.get("items_endpoint", True):
                return self.send_body(404, {"error": {"status": 404, "message": "Service not found"}})
            key = "item" if kind == "items" else "track"
            return self.send_body(200, paging(pl.get("tracks", []), lambda i: {
                "added_at": "2026-01-01T00:00:00Z", "is_local": False,
                key: sp_track(cat, i) if i is not None else None}, path, 50 if kind == "items" else 100))
        return self.send_body(404, {"error": {"status": 404, "message": "Service not found"}})

    # -- Deezer
    def deezer(self, method, path, query):
        st = self.server.state
        p = st.prov("deezer")
        cat = Catalogue(st.scenario.get("catalogue", {}))
        token = query.get("access_token", [""])[0]
        if path.startswith("/user/me") and not st.check_token("deezer", token):
            return self.send_body(200, {"error": {"type": "OAuthException",
                                                  "message": "Invalid OAuth access token.", "code": 300}})
        size = int(p.get("page_size", 25))
        base = self.base() + "/deezer"

        def paging(all_items, render, endpoint):
            index = int(query.get("index", ["0"])[0] or 0)
            limit = min(int(query.get("limit", [str(size)])[0] or size), size)
            chunk = all_items[index:index + limit]
            out = {"data": [render(x) for x in chunk], "total": len(all_items)}
            tok = f"access_token={token}&" if token else ""
            if index + limit < len(all_items):
                out["next"] = f"{base}{endpoint}?{tok}limit={limit}&index={index + limit}"
            if index > 0:
                out["prev"] = f"{base}{endpoint}?{tok}limit={limit}&index={max(0, index - limit)}"
            if endpoint.startswith("/user/me"):
                out["checksum"] = "c" * 32
            return out

        if path == "/user/me":  # the current user's profile
            return self.send_body(200, {"id": int(p.get("user_id", 5000001)), "name": "Fake User",
                                        "type": "user"})
        if path == "/user/me/tracks":
            return self.send_body(200, paging(p.get("liked", []), lambda i: dz_track(cat, i), path))
        if path == "/user/me/albums":
            return self.send_body(200, paging(p.get("saved", []), lambda a: dz_album(cat, a), path))
        if path == "/user/me/artists":
            return self.send_body(200, paging(p.get("followed", []), dz_artist, path))
        if path.startswith("/artist/") and path.endswith("/albums"):
            r = int(path.split("/")[2]) - 500000
            return self.send_body(200, paging(cat.albums_of_artist(r), lambda a: dz_album(cat, a), path))
        if path.startswith("/album/") and path.endswith("/tracks"):
            a = int(path.split("/")[2]) - 300000
            return self.send_body(200, paging(cat.tracks_of_album(a), lambda i: dz_track(cat, i), path))
        if path == "/user/me/playlists":
            def render(pl):
                x = copy.deepcopy(DZ_PLAYLIST)
                x.update({"id": int(pl["id"]), "title": pl.get("name", str(pl["id"])),
                          "nb_tracks": len(pl.get("tracks", [])), "checksum": pl.get("snapshot", "c1")})
                x["creator"] = {"id": int(p.get("user_id", 5000001)) if pl.get("owner", True)
                                else 359622, "name": "someone", "type": "user"}
                return x
            return self.send_body(200, paging(p.get("playlists", []), render, path))
        if path.startswith("/playlist/") and path.endswith("/tracks"):
            pid = path.split("/")[2]
            pl = next((x for x in p.get("playlists", []) if str(x["id"]) == pid), None)
            if pl is None:
                return self.send_body(200, {"error": {"type": "DataException", "message": "no data", "code": 800}})
            return self.send_body(200, paging(pl.get("tracks", []), lambda i: dz_track(cat, i), path))
        return self.send_body(200, {"error": {"type": "DataException", "message": "no data", "code": 800}})

    # -- TIDAL
    def tidal(self, method, path, query):
        st = self.server.state
        if not self.bearer_ok("tidal"):
            return self.send_body(401, {"errors": [{"status": "401", "code": "UNAUTHORIZED",
                                                    "detail": "Invalid token"}]},
                                  ctype="application/vnd.api+json")
        p = st.prov("tidal")
        cat = Catalogue(st.scenario.get("catalogue", {}))
        size = int(p.get("page_size", 20))

        def relationship(ids, typ, render_included, meta=None):
            cursor = query.get("page[cursor]", ["0"])[0] or "0"
            start = int(cursor)
            chunk = ids[start:start + size]
            included = {}
            for x in chunk:
                for res in render_included(x):
                    included[(res["type"], res["id"])] = res
            links = {"self": path}
            if start + size < len(ids):
                nxt = str(start + size)
                other = "&".join(f"{urllib.parse.quote(k)}={urllib.parse.quote(v[0], safe=',')}"
                                 for k, v in query.items() if k != "page[cursor]")
                links["next"] = f"{path}?{other}&page%5Bcursor%5D={nxt}"
                links["meta"] = {"nextCursor": nxt}
            data = [{"id": self_id(typ, x), "type": typ,
                     "meta": meta(x) if meta else {"addedAt": "2026-01-01T00:00:00Z"}}
                    for x in chunk]
            return self.send_body(200, {"data": data, "included": list(included.values()), "links": links},
                                  ctype="application/vnd.api+json")

        def self_id(typ, x):
            return {"tracks": str(900000 + x), "albums": str(800000 + x),
                    "artists": str(700000 + x), "playlists": str(x)}[typ]

        def track_res(i):
            a = cat.album_of(i)
            return [td_track(cat, i), td_album(cat, a), td_artist(cat.artist_of_album(a))]

        if path == "/users/me":  # the current user
            return self.send_body(200, {"data": {"id": str(p.get("user_id", "4711")), "type": "users",
                                                 "attributes": {"username": "fake", "country": "US"}}},
                                  ctype="application/vnd.api+json")
        if path.startswith("/artists/") and path.endswith("/relationships/albums"):
            r = int(path.split("/")[2]) - 700000
            return relationship(cat.albums_of_artist(r), "albums",
                                lambda a: [td_album(cat, a), td_artist(cat.artist_of_album(a))])
        if path.startswith("/albums/") and path.endswith("/relationships/items"):
            a = int(path.split("/")[2]) - 800000
            tracks = cat.tracks_of_album(a)
            return relationship(tracks, "tracks", lambda i: [td_track(cat, i), td_artist(cat.artist_of_album(a))],
                                meta=lambda i: {"trackNumber": tracks.index(i) + 1, "volumeNumber": 1})
        if path == "/userCollectionTracks/me/relationships/items":
            return relationship(p.get("liked", []), "tracks", track_res)
        if path == "/userCollectionAlbums/me/relationships/items":
            return relationship(p.get("saved", []), "albums",
                                lambda a: [td_album(cat, a), td_artist(cat.artist_of_album(a))])
        if path == "/userCollectionArtists/me/relationships/items":
            return relationship(p.get("followed", []), "artists", lambda r: [td_artist(r)])
        if path == "/userCollectionPlaylists/me/relationships/items":
            pls = p.get("playlists", [])
            ids = list(range(len(pls)))

            def pl_res(k):
                pl = pls[k]
                owner = str(p.get("user_id", "4711")) if pl.get("owner", True) else "99"
                return [{"id": str(k), "type": "playlists",
                         "attributes": {"name": pl.get("name", pl["id"]),
                                        "numberOfItems": len(pl.get("tracks", [])),
                                        "lastModifiedAt": pl.get("snapshot", "2026-01-01T00:00:00Z")},
                         "relationships": {"owners": {"data": [{"id": owner, "type": "users"}]}}}]
            return relationship(ids, "playlists", pl_res)
        if path.startswith("/playlists/") and path.endswith("/relationships/items"):
            k = int(path.split("/")[2])
            pls = p.get("playlists", [])
            if k >= len(pls):
                return self.send_body(404, {"errors": [{"status": "404", "detail": "not found"}]})
            return relationship(pls[k].get("tracks", []), "tracks", track_res)
        return self.send_body(404, {"errors": [{"status": "404", "detail": "not found"}]},
                              ctype="application/vnd.api+json")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", help="scenario JSON file")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", help="JSONL request log")
    ap.add_argument("--ready-file", help="write the port here once listening")
    args = ap.parse_args()
    scenario = {}
    if args.scenario:
        with open(args.scenario) as f:
            scenario = json.load(f)
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    srv.state = State(scenario, args.log)
    port = srv.server_address[1]
    if args.ready_file:
        tmp = args.ready_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(port))
        os.replace(tmp, args.ready_file)
    print(f"fake providers on 127.0.0.1:{port}", flush=True)
    try:
        srv.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
