#!/usr/bin/env python3
"""Builds a small library of real audio files with realistic, messy tags and
deliberately broken files, plus manifest.json with the ground truth.

Usage: generate.py OUT_DIR            (the test corpus, ~90 files)
       generate.py OUT_DIR --bench N  (N uniform MP3s: 50 per artist, 10 per
                                       album, every id tagged)
       generate.py OUT_DIR --realistic N [--parts K]
                                      (N MP3s with the hard cases of
                                       identity at realistic rates and the
                                       ground truth per file: realistic.py)

Audio comes from sox/lame/flac/ffmpeg (Debian). Tags are written in each
format's real form: ID3v2.3/2.4/v1 frames built here byte by byte (TXXX and
UFID for MusicBrainz), Vorbis comments (MUSICBRAINZ_*) via ffmpeg, ASF
descriptors (MusicBrainz/...) via ffmpeg, iTunes freeform atoms
(----:com.apple.iTunes:MusicBrainz ...) patched into the file here, an
"id3 " chunk in WAV and ID3 in AIFF. Deterministic: same input, same bytes
(modulo the encoders' own determinism)."""

import json
import os
import shutil
import struct
import subprocess
import sys

FORMATS = ["mp3v24", "mp3v23", "flac", "ogg", "opus", "m4a", "alac", "wav",
           "aiff", "wma"]
EXT = {"mp3v24": "mp3", "mp3v23": "mp3", "mp3v1": "mp3", "flac": "flac",
       "ogg": "ogg", "opus": "opus", "m4a": "m4a", "alac": "m4a", "wav": "wav",
       "aiff": "aiff", "wma": "wma"}


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def mbid(n):
    """A stable, MusicBrainz-shaped id for the number n."""
    h = "%032x" % (n * 0x9E3779B97F4A7C15 % (1 << 128))
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])


# --- ID3 ----------------------------------------------------------------------

def syncsafe(n):
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def id3_text(version, s):
    if isinstance(s, bytes):  # raw bytes on purpose (invalid UTF-8)
        return b"\x03" + s
    if version == 4:
        return b"\x03" + s.encode("utf-8")
    return b"\x01" + s.encode("utf-16")  # with BOM


def id3_frame(version, fid, payload):
    size = syncsafe(len(payload)) if version == 4 else struct.pack(">I", len(payload))
    return fid.encode() + size + b"\x00\x00" + payload


def id3v2(version, tags):
    frames = b""
    simple = {"title": "TIT2", "artist": "TPE1", "album_artist": "TPE2",
              "album": "TALB", "track": "TRCK", "disc": "TPOS", "genre": "TCON",
              "isrc": "TSRC", "date": "TDRC" if version == 4 else "TYER"}
    for key, fid in simple.items():
        if tags.get(key):
            frames += id3_frame(version, fid, id3_text(version, tags[key]))
    txxx = {"album_mbid": "MusicBrainz Album Id",
            "release_group_mbid": "MusicBrainz Release Group Id",
            "artist_mbid": "MusicBrainz Artist Id",
            "album_artist_mbid": "MusicBrainz Album Artist Id",
            "release_track_mbid": "MusicBrainz Release Track Id"}
    for key, desc in txxx.items():
        if tags.get(key):
            if version == 4:
                payload = b"\x03" + desc.encode() + b"\x00" + tags[key].encode()
            else:
                payload = (b"\x01" + desc.encode("utf-16") + b"\x00\x00"
                           + tags[key].encode("utf-16"))
            frames += id3_frame(version, "TXXX", payload)
    if tags.get("track_mbid"):
        frames += id3_frame(version, "UFID", b"http://musicbrainz.org\x00"
                            + tags["track_mbid"].encode())
    return b"ID3" + bytes([version, 0, 0]) + syncsafe(len(frames)) + frames


def id3v1(tags):
    def field(s, n):
        return s.encode("latin-1", "replace")[:n].ljust(n, b"\x00")
    track = int(tags.get("track", "0").split("/")[0] or 0)
    return (b"TAG" + field(tags.get("title", ""), 30)
            + field(tags.get("artist", ""), 30) + field(tags.get("album", ""), 30)
            + field(tags.get("date", ""), 4) + field("", 28) + b"\x00"
            + bytes([track]) + bytes([17]))  # genre 17 = Rock


# --- MP4 freeform atoms -------------------------------------------------------

def atom(kind, payload):
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_freeform(name, value):
    return atom(b"----", atom(b"mean", b"\x00\x00\x00\x00com.apple.iTunes")
                + atom(b"name", b"\x00\x00\x00\x00" + name.encode())
                + atom(b"data", b"\x00\x00\x00\x01\x00\x00\x00\x00"
                       + value.encode()))


def mp4_add_freeform(path, items):
    """Appends freeform atoms to moov/udta/meta/ilst. ffmpeg writes moov after
    mdat, so growing moov moves no sample data (stco stays valid)."""
    data = bytearray(open(path, "rb").read())
    extra = b"".join(mp4_freeform(k, v) for k, v in items)

    def find(start, end, kind):
        pos = start
        while pos + 8 <= end:
            size = struct.unpack(">I", data[pos:pos + 4])[0]
            if data[pos + 4:pos + 8] == kind:
                return pos, size
            pos += size
        raise RuntimeError("atom %r not found in %s" % (kind, path))

    moov, moov_size = find(0, len(data), b"moov")
    path_atoms = [(moov, moov_size)]
    udta = find(moov + 8, moov + moov_size, b"udta")
    path_atoms.append(udta)
    meta = find(udta[0] + 8, udta[0] + udta[1], b"meta")
    path_atoms.append(meta)
    ilst = find(meta[0] + 12, meta[0] + meta[1], b"ilst")  # meta is a full atom
    path_atoms.append(ilst)
    if moov + moov_size != len(data):
        raise RuntimeError("moov is not the last atom of %s" % path)
    insert_at = ilst[0] + ilst[1]
    data[insert_at:insert_at] = extra
    for pos, size in path_atoms:
        data[pos:pos + 4] = struct.pack(">I", size + len(extra))
    open(path, "wb").write(bytes(data))


# --- per-format writers -------------------------------------------------------

def make_bases(base_dir):
    """One short tagless audio file per format; files are copies of these."""
    os.makedirs(base_dir, exist_ok=True)
    wav = os.path.join(base_dir, "base.wav")
    run("sox", "-n", "-r", "44100", "-c", "2", "-b", "16", wav, "synth", "0.1",
        "sine", "440")
    run("lame", "--silent", "-b", "64", wav, os.path.join(base_dir, "base.mp3"))
    run("flac", "--silent", "-f", "-o", os.path.join(base_dir, "base.flac"), wav)
    codecs = {"ogg": ["-c:a", "libvorbis"], "opus": ["-c:a", "libopus"],
              "m4a": ["-c:a", "aac"], "alac.m4a": ["-c:a", "alac"],
              "wma": ["-c:a", "wmav2"], "aiff": []}
    for name, codec in codecs.items():
        run("ffmpeg", "-v", "error", "-y", "-i", wav, *codec, "-map_metadata",
            "-1", "-fflags", "+bitexact", os.path.join(base_dir, "base." + name))


def ffmpeg_tags(fmt, tags):
    """-metadata arguments in the format's real key names."""
    out = []

    def put(k, v):
        if v:
            out.extend(["-metadata", "%s=%s" % (k, v)])

    common = {"title": "title", "artist": "artist", "album": "album",
              "album_artist": "album_artist", "track": "track", "disc": "disc",
              "genre": "genre"}
    for key, name in common.items():
        put(name, tags.get(key))
    if fmt in ("flac", "ogg", "opus"):
        put("date", tags.get("date"))
        put("ISRC", tags.get("isrc"))
        vorbis = {"track_mbid": "MUSICBRAINZ_TRACKID",
                  "release_track_mbid": "MUSICBRAINZ_RELEASETRACKID",
                  "album_mbid": "MUSICBRAINZ_ALBUMID",
                  "release_group_mbid": "MUSICBRAINZ_RELEASEGROUPID",
                  "artist_mbid": "MUSICBRAINZ_ARTISTID",
                  "album_artist_mbid": "MUSICBRAINZ_ALBUMARTISTID"}
        for key, name in vorbis.items():
            put(name, tags.get(key))
    elif fmt == "wma":
        put("WM/Year", tags.get("date"))
        put("WM/ISRC", tags.get("isrc"))
        asf = {"track_mbid": "MusicBrainz/Track Id",
               "release_track_mbid": "MusicBrainz/Release Track Id",
               "album_mbid": "MusicBrainz/Album Id",
               "release_group_mbid": "MusicBrainz/Release Group Id",
               "artist_mbid": "MusicBrainz/Artist Id",
               "album_artist_mbid": "MusicBrainz/Album Artist Id"}
        for key, name in asf.items():
            put(name, tags.get(key))
    else:  # m4a, alac: freeform atoms are patched in afterwards
        put("date", tags.get("date"))
    return out


MP4_FREEFORM = {"isrc": "ISRC", "track_mbid": "MusicBrainz Track Id",
                "release_track_mbid": "MusicBrainz Release Track Id",
                "album_mbid": "MusicBrainz Album Id",
                "release_group_mbid": "MusicBrainz Release Group Id",
                "artist_mbid": "MusicBrainz Artist Id",
                "album_artist_mbid": "MusicBrainz Album Artist Id"}


def write_file(base_dir, fmt, path, tags):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if fmt in ("mp3v24", "mp3v23", "mp3v1"):
        audio = open(os.path.join(base_dir, "base.mp3"), "rb").read()
        if fmt == "mp3v1":
            data = audio + id3v1(tags)
        else:
            data = id3v2(4 if fmt == "mp3v24" else 3, tags) + audio
        open(path, "wb").write(data)
    elif fmt == "wav":
        audio = open(os.path.join(base_dir, "base.wav"), "rb").read()
        tag = id3v2(4, tags)
        if len(tag) % 2:
            tag += b"\x00"
        chunk = b"id3 " + struct.pack("<I", len(tag)) + tag
        data = bytearray(audio + chunk)
        data[4:8] = struct.pack("<I", len(data) - 8)
        open(path, "wb").write(bytes(data))
    else:
        src = os.path.join(base_dir, "base." + ("alac.m4a" if fmt == "alac" else
                                                EXT[fmt]))
        extra = ["-write_id3v2", "1"] if fmt == "aiff" else []
        if fmt == "aiff":
            # ffmpeg's AIFF muxer writes ID3v2: TXXX for the MusicBrainz ids.
            args = ffmpeg_tags("aiff", tags)
            for key, desc in MP4_FREEFORM.items():
                if tags.get(key) and key != "isrc":
                    args += ["-metadata", "%s=%s" % (desc, tags[key])]
            if tags.get("isrc"):
                args += ["-metadata", "TSRC=%s" % tags["isrc"]]
            if tags.get("date"):
                args += ["-metadata", "date=%s" % tags["date"]]
        else:
            args = ffmpeg_tags(fmt, tags)
        run("ffmpeg", "-v", "error", "-y", "-i", src, "-c", "copy",
            "-map_metadata", "-1", *extra, *args, "-fflags", "+bitexact", path)
        if fmt in ("m4a", "alac"):
            items = [(name, tags[key]) for key, name in MP4_FREEFORM.items()
                     if tags.get(key)]
            if items:
                mp4_add_freeform(path, items)


# --- the test corpus ----------------------------------------------------------

# Artists: key -> (canonical name, mbid or "")
ARTISTS = {
    "beatles": ("The Beatles", mbid(1)),
    "bjork": ("Björk", mbid(2)),
    "sigur": ("Sigur Rós", mbid(3)),
    "nirvana_us": ("Nirvana", mbid(4)),
    "nirvana_uk": ("Nirvana", mbid(5)),
    "daft": ("Daft Punk", mbid(6)),
    "pharrell": ("Pharrell Williams", mbid(7)),
    "beyonce": ("Beyoncé", ""),
    "acdc": ("AC/DC", ""),
    "noid": ("Motorpsycho", ""),
}

# Albums: key -> (artist key, canonical title, release mbid or "", tracks)
ALBUMS = {
    "abbey": ("beatles", "Abbey Road", mbid(101), 6),
    "homogenic": ("bjork", "Homogenic", mbid(102), 5),
    "agaetis": ("sigur", "Ágætis byrjun", mbid(103), 4),
    "nevermind": ("nirvana_us", "Nevermind", mbid(104), 4),
    "local": ("nirvana_uk", "Local Anaesthetic", mbid(105), 3),
    "ram": ("daft", "Random Access Memories", mbid(106), 5),
    "lemonade": ("beyonce", "Lemonade", "", 4),
    "backinblack": ("acdc", "Back in Black", "", 4),
    "timothy": ("noid", "Timothy's Monster", "", 4),
}

# Spelling variants of artist names and album titles (all must merge).
ARTIST_VARIANTS = {
    "beatles": ["The Beatles", "the beatles", "Beatles", "THE BEATLES ",
                "The  Beatles"],
    "bjork": ["Björk", "Bjork", "BJÖRK", "björk"],
    "sigur": ["Sigur Rós", "Sigur Ros", "sigur rós"],
    "beyonce": ["Beyoncé", "Beyonce", "BEYONCÉ"],
    "acdc": ["AC/DC", "AC-DC", "ac/dc"],
    "noid": ["Motorpsycho", "motorpsycho", " Motorpsycho"],
}
ALBUM_VARIANTS = {
    "abbey": ["Abbey Road", "abbey road", "Abbey  Road", "ABBEY ROAD"],
    "agaetis": ["Ágætis byrjun", "Agaetis byrjun", "ÁGÆTIS BYRJUN"],
    "lemonade": ["Lemonade", "lemonade", "LEMONADE"],
    "backinblack": ["Back in Black", "Back In Black", "back in black"],
    "timothy": ["Timothy's Monster", "Timothys Monster", "timothy's monster"],
}


def corpus(out):
    base_dir = os.path.join(out, ".base")
    lib = os.path.join(out, "library")
    if os.path.exists(lib):
        shutil.rmtree(lib)
    make_bases(base_dir)
    files = []
    n = 0
    for akey, (artist_key, title, album_mbid, count) in ALBUMS.items():
        artist_name, artist_mbid = ARTISTS[artist_key]
        for i in range(1, count + 1):
            fmt = FORMATS[n % len(FORMATS)]
            n += 1
            variants = ARTIST_VARIANTS.get(artist_key, [artist_name])
            avariants = ALBUM_VARIANTS.get(akey, [title])
            artist = variants[i % len(variants)]
            album = avariants[i % len(avariants)]
            track_title = "%s Song %d" % (title.split()[0], i)
            featured = []
            if artist_key == "daft" and i >= 3:
                word = ["feat.", "ft.", "featuring"][i % 3]
                artist = "Daft Punk %s Pharrell Williams" % word
                featured = ["pharrell"]
            tags = {"title": track_title, "artist": artist, "album": album,
                    "track": "%d/%d" % (i, count), "disc": "1/1",
                    "date": "20%02d" % (n % 20), "genre": "Rock"}
            # Missing album artist: Beyoncé never has one; others mostly do.
            if artist_key != "beyonce" and i != 2:
                tags["album_artist"] = variants[0].strip()
            has_ids = bool(artist_mbid)
            if has_ids:
                tags["artist_mbid"] = artist_mbid
                if tags.get("album_artist"):
                    tags["album_artist_mbid"] = artist_mbid
                tags["album_mbid"] = album_mbid
                tags["release_group_mbid"] = mbid(200 + list(ALBUMS).index(akey))
                tags["track_mbid"] = mbid(1000 + n)
                tags["release_track_mbid"] = mbid(5000 + n)
            if i % 2 == 1:
                tags["isrc"] = "XXABC%07d" % n
            rel = os.path.join(artist_key, akey, "%02d - %s.%s" % (
                i, track_title, EXT[fmt]))
            write_file(base_dir, fmt, os.path.join(lib, rel), tags)
            files.append({"path": rel, "format": fmt, "broken": None,
                          "artist": artist_key, "album": akey,
                          "title": track_title, "featured": featured,
                          "track_mbid": tags.get("track_mbid", ""),
                          "album_mbid": tags.get("album_mbid", ""),
                          "artist_mbid": tags.get("artist_mbid", ""),
                          "isrc": tags.get("isrc", "")})
    # An ID3v1-only MP3, invalid UTF-8 and an absurdly long title.
    extras = [
        ("mp3v1", "misc/id3v1.mp3", {"title": "Old Tag Song", "artist": "Motorpsycho",
                                     "album": "Timothys Monster", "track": "9"},
         "noid", "timothy", "Old Tag Song"),
        ("mp3v24", "misc/badutf8.mp3", {"title": b"Caf\xe9 \xff Latte",
                                        "artist": "Motorpsycho",
                                        "album": "Timothy's Monster", "track": "10"},
         "noid", "timothy", "Caf\u00e9 \u00ff Latte"),
        ("flac", "misc/long.flac", {"title": "L" * 5000, "artist": "Motorpsycho",
                                    "album": "Timothy's Monster", "track": "11"},
         "noid", "timothy", None),
    ]
    for fmt, rel, tags, artist_key, akey, title in extras:
        write_file(base_dir, fmt, os.path.join(lib, rel), tags)
        files.append({"path": rel, "format": fmt, "broken": None,
                      "artist": artist_key, "album": akey, "title": title,
                      "featured": [], "track_mbid": "", "album_mbid": "",
                      "artist_mbid": "", "isrc": ""})
    # Broken files: each must be reported with a reason, none may stop the scan.
    broken = os.path.join(lib, "broken")
    os.makedirs(broken, exist_ok=True)
    open(os.path.join(broken, "empty.mp3"), "wb").close()
    flac = open(os.path.join(base_dir, "base.flac"), "rb").read()
    open(os.path.join(broken, "truncated.flac"), "wb").write(flac[:30])
    open(os.path.join(broken, "garbage.ogg"), "wb").write(
        bytes((i * 7919) % 251 for i in range(4000)))
    open(os.path.join(broken, "text.m4a"), "wb").write(b"this is not audio\n" * 50)
    open(os.path.join(broken, "flac_named.mp3"), "wb").write(flac)
    m4a = open(os.path.join(base_dir, "base.m4a"), "rb").read()
    open(os.path.join(broken, "truncated.m4a"), "wb").write(m4a[:60])
    for name, reason in [("empty.mp3", "empty"), ("truncated.flac", ""),
                         ("garbage.ogg", ""), ("text.m4a", ""),
                         ("flac_named.mp3", "mislabeled"),
                         ("truncated.m4a", "")]:
        files.append({"path": "broken/" + name, "broken": reason or "any"})
    # Not audio: ignored, not an error. A symlink loop must not hang the walk.
    open(os.path.join(lib, "beatles", "cover.jpg"), "wb").write(b"\xff\xd8\xff")
    open(os.path.join(lib, "notes.txt"), "w").write("liner notes\n")
    os.symlink("..", os.path.join(lib, "misc", "loop"))
    manifest = {"root": "library", "files": files,
                "artists": {k: {"name": v[0], "mbid": v[1]} for k, v in ARTISTS.items()},
                "albums": {k: {"artist": v[0], "title": v[1], "mbid": v[2]}
                           for k, v in ALBUMS.items()}}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)


def bench(out, count):
    """count files in a Artist/Album/NN.ext tree, 10 tracks per album, 5
    albums per artist. Reused when it already has the requested size."""
    marker = os.path.join(out, "bench-%d.done" % count)
    if os.path.exists(marker):
        return
    base_dir = os.path.join(out, ".base")
    make_bases(base_dir)
    lib = os.path.join(out, "library")
    if os.path.exists(lib):
        shutil.rmtree(lib)
    # Template files per format, then byte copies with patched tags are too
    # slow via ffmpeg for 20,000 files: MP3 (ID3 written here) and FLAC/Ogg
    # (ffmpeg once per album, copied per track) keep generation in seconds.
    audio = open(os.path.join(base_dir, "base.mp3"), "rb").read()
    for n in range(count):
        artist, album, track = n // 50, (n // 10) % 5, n % 10 + 1
        tags = {"title": "Track %d of album %d" % (track, album),
                "artist": "Artist %04d" % artist,
                "album_artist": "Artist %04d" % artist,
                "album": "Album %d by %04d" % (album, artist),
                "track": "%d/10" % track, "disc": "1/1", "date": "2010",
                "genre": "Rock", "isrc": "XXBN%08d" % n,
                "track_mbid": mbid(10_000_000 + n),
                "album_mbid": mbid(20_000_000 + artist * 5 + album),
                "artist_mbid": mbid(30_000_000 + artist)}
        d = os.path.join(lib, "Artist %04d" % artist, "Album %d" % album)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "%02d.mp3" % track), "wb") as f:
            f.write(id3v2(4 if n % 2 else 3, tags) + audio)
    open(marker, "w").write("ok\n")


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[2] == "--bench":
        bench(sys.argv[1], int(sys.argv[3]))
    elif len(sys.argv) >= 4 and sys.argv[2] == "--realistic":
        from realistic import realistic
        realistic(sys.argv[1], int(sys.argv[3]),
                  int(sys.argv[5]) if len(sys.argv) >= 6 and sys.argv[4] == "--parts"
                  else 1)
    else:
        corpus(sys.argv[1])
