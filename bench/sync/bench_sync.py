#!/usr/bin/env python3
"""Sync benchmark: a fake Spotify account of 50,000 liked tracks.

1. Rate limit lifted: prints entities merged per second into the database
   (pages fetched, mapped, matched and merged by the real dedup store and
   written by the store actor, measured by sync_probe from the first request
   to the last acknowledged write) and peak RSS of the sync process.
   An entity is an artist, album or track the dedup store created or merged:
   each liked track brings its album and its artists along. The tracks/s
   figure is printed too. Target: >= 20,000 entities/s on the 2-core machine.
2. Rate limit on (--rate, default 20/s, --rated-pages pages): prints the
   wall time against requests / rate. Target: within 10 %.

usage: bench_sync.py SYNC_PROBE_BIN [--tracks 50000] [--rate 20] [--rated-pages 60]

sync_probe runs with PROBE_DEDUP=real: every batch goes through the real
dedup store, exactly as in the service.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
os.environ.setdefault("DISCOTHEQUE_SOURCE", ROOT)
os.environ["PROBE_DEDUP"] = "real"

from cloud import FakeProviders, Probe  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("probe")
    ap.add_argument("--tracks", type=int, default=50000)
    ap.add_argument("--rate", type=float, default=20)
    ap.add_argument("--rated-pages", type=int, default=60)
    args = ap.parse_args()
    os.environ["SYNC_PROBE_BIN"] = os.path.abspath(args.probe)
    import cloud
    cloud.PROBE = os.environ["SYNC_PROBE_BIN"]

    # 1. throughput, rate limit lifted
    # The fake renders pages in Python (~10 ms each); it keeps rendered pages
    # ("cache_pages") and a warm-up sync fills that cache, so the measured
    # sync is bound by Discotheque, not by the fake.
    with FakeProviders({"spotify": {"liked": args.tracks}, "cache_pages": True}) as fake:
        cfg = {"spotify": fake.provider_config("spotify", rate_per_second=1000000)}
        Probe(fake, cfg).run(["sync_spotify_likes"], timeout=1800)  # warm-up
        probe = Probe(fake, cfg)
        t0 = time.time()
        out = probe.run(["sync_spotify_likes"], timeout=1800)
        wall = time.time() - t0
        r = out["results"]["sync_spotify_likes"]
        secs = out["wall_ms"] / 1000
        stats = r["stats"]
        entities = stats["created"] + stats["merged"]
        uniq = out["seen"]["spotify/liked"]["tracks"]["unique"]
        print(f"unlimited: {r['status']}, {uniq} unique tracks of {args.tracks} in {secs:.2f} s: "
              f"{entities} entities ({stats['created']} created, {stats['merged']} merged) "
              f"-> {entities / secs:.0f} entities/s, {uniq / secs:.0f} tracks/s "
              f"(process wall {wall:.2f} s), peak RSS {out['peak_rss_kb'] / 1024:.1f} MiB, "
              f"{len(fake.requests('spotify')) // 2} requests, "
              f"{out['store']['transactions']} store transactions for {out['store']['writes']} writes")
    # 2. rate limited
    pages = args.rated_pages
    with FakeProviders({"spotify": {"liked": pages * 50}}) as fake:
        probe = Probe(fake, {"spotify": fake.provider_config("spotify", rate_per_second=args.rate)})
        out = probe.run(["sync_spotify_likes"], timeout=1800)
        reqs = fake.requests("spotify")
        times = sorted(e["t"] for e in reqs)
        span = times[-1] - times[0]
        ideal = (len(reqs) - 1) / args.rate
        wall = out["wall_ms"] / 1000
        print(f"rate {args.rate}/s: {len(reqs)} requests, first-to-last {span:.2f} s, "
              f"sync wall {wall:.2f} s, ideal (requests/rate) {len(reqs) / args.rate:.2f} s "
              f"-> {100 * (wall / (len(reqs) / args.rate) - 1):+.1f} %")


if __name__ == "__main__":
    main()
