"""sync_playlists against the fake providers, and the playlist API of the
real binary: fields of SPEC §3, positions, the three sync modes, Spotify's
/items -> /tracks fallback."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Service, check, run_tests  # noqa: E402
from cloud import FakeProviders, Probe  # noqa: E402


def test_playlists_in_all_three_modes():
    scenario = {
        "spotify": {"items_endpoint": False, "playlists": [
            {"id": "sp1", "name": "Reference", "tracks": [0, 1, None, 2]},
            {"id": "sp2", "name": "Owned", "tracks": [3, 4]},
            {"id": "sp3", "name": "Off", "tracks": [5], "owner": False}]},
        "deezer": {"access_token": "dz-token", "playlists": [
            {"id": 11, "name": "Deezer mix", "tracks": [0, 6]},
            {"id": 12, "name": "Followed", "tracks": [1], "owner": False}]},
        "tidal": {"playlists": [{"id": "t", "name": "Tidal mix", "tracks": [7, 8, 9]},
                                {"id": "u", "name": "Not mine", "tracks": [], "owner": False}]},
    }
    with FakeProviders(scenario) as fake:
        probe = Probe(fake, {p: fake.provider_config(p) for p in ("spotify", "deezer", "tidal")})
        out = probe.run(["sync_playlists"], run_id=1)
        r = out["results"]["sync_playlists"]
        check(r["status"] == "succeeded" and r["stats"]["errors"] == [], str(r))
        # reference_only: tracks are merged without a claim
        check(out["seen"]["spotify/-"]["tracks"]["count"] == 6, str(out["seen"]))
        check(out["seen"]["deezer/-"]["tracks"]["count"] == 3, str(out["seen"]))
        check(out["seen"]["tidal/-"]["tracks"]["count"] == 3, str(out["seen"]))
        # Spotify: /items answered 404 (older account), /tracks was used
        paths = [e["path"] for e in fake.requests("spotify")]
        check("/spotify/v1/playlists/sp1/items" in paths and "/spotify/v1/playlists/sp1/tracks" in paths,
              str(paths))

        with Service(data=probe.data) as svc:
            svc.start()
            status, body = svc.get("/api/library/playlists")
            check(status == 200, f"{status} {body}")
            pls = {p["provider_id"]: p for p in body["playlists"]}
            check(set(pls) == {"sp1", "sp2", "sp3", "11", "12", "0", "1"}, str(pls.keys()))
            # is_owner: the playlist's owner is the user of the provider's profile
            owners = {k: p["is_owner"] for k, p in pls.items()}
            check(owners == {"sp1": True, "sp2": True, "sp3": False, "11": True, "12": False,
                             "0": True, "1": False}, str(owners))
            for provider, path in (("spotify", "/spotify/v1/me"), ("deezer", "/deezer/user/me"),
                                   ("tidal", "/tidal/v2/users/me")):
                check(any(e["path"] == path for e in fake.requests(provider)),
                      f"{provider} profile not read")
            sp1 = pls["sp1"]
            check(sp1["name"] == "Reference" and sp1["provider"] == "spotify" and sp1["is_followed"]
                  and sp1["sync_mode"] == "reference_only" and sp1["track_count"] == 3
                  and sp1["last_synced_at"] and sp1["snapshot_id"] == "snap-1", str(sp1))
            status, detail = svc.get(f"/api/library/playlists/{sp1['id']}")
            check(status == 200, str(detail))
            check([t["position"] for t in detail["tracks"]] == [0, 1, 2], str(detail["tracks"]))
            check([t["title"] for t in detail["tracks"]] == ["Track 0", "Track 1", "Track 2"],
                  str(detail["tracks"]))
            check(all(t["owned"] is False for t in detail["tracks"]), "reference_only owns nothing")
            status, _ = svc.request("PUT", f"/api/library/playlists/{pls['sp2']['id']}",
                                    body={"sync_mode": "auto_own_tracks"})
            check(status == 200, f"PUT {status}")
            status, _ = svc.request("PUT", f"/api/library/playlists/{pls['sp3']['id']}",
                                    body={"sync_mode": "disabled"})
            check(status == 200, f"PUT {status}")
            status, err = svc.request("PUT", f"/api/library/playlists/{pls['sp3']['id']}",
                                      body={"sync_mode": "own_everything"})
            check(status == 400, f"bad mode: {status} {err}")
            status, _ = svc.request("PUT", f"/api/library/playlists/{pls['sp3']['id']}",
                                    body={"sync_mode": "disabled"}, key=False)
            check(status == 401, "PUT needs the API key")
            status, _ = svc.get("/api/library/playlists/999999")
            check(status == 404, "unknown playlist")
            status, body = svc.get("/api/library/playlists")
            modes = {p["provider_id"]: p["sync_mode"] for p in body["playlists"]}
            check(modes["sp2"] == "auto_own_tracks" and modes["sp3"] == "disabled", str(modes))
            svc.stop()

        before = sum(1 for e in fake.requests("spotify") if "/playlists/sp3/" in e["path"])
        # TIDAL's profile cannot be read this time: is_owner stays as stored
        fake.update({"faults": [{"provider": "tidal", "path": "/users/me", "kind": "status",
                                 "status": 403, "count": -1}]})
        out2 = probe.run(["sync_playlists"], run_id=2)
        errs = out2["results"]["sync_playlists"]["stats"]["errors"]
        check(any("tidal profile" in e for e in errs), str(errs))
        tidal_owner = dict(probe.db().execute(
            "SELECT provider_id, is_owner FROM playlists WHERE provider = 'tidal'").fetchall())
        check(tidal_owner == {"0": 1, "1": 0}, str(tidal_owner))
        check(out2["results"]["sync_playlists"]["status"] == "succeeded", str(out2["results"]))
        owned = out2["seen"]["spotify/auto_own"]["tracks"]["ids"]
        check(sorted(owned) == ["sptr3", "sptr4"], str(owned))
        check("spotify/auto_own/2" in out2["reconciled"], str(out2["reconciled"]))
        after = sum(1 for e in fake.requests("spotify") if "/playlists/sp3/" in e["path"])
        check(after == before, "a disabled playlist's items are not fetched")
        stats = out2["results"]["sync_playlists"]["stats"]
        check(stats["disabled"] == 1 and stats["auto_own_tracks"] == 1, str(stats))


if __name__ == "__main__":
    run_tests([test_playlists_in_all_three_modes])
