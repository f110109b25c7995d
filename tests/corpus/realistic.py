"""The realistic benchmark library (generate.py OUT --realistic N [--parts K]):
N MP3 files whose identities are as hard as real libraries make them, and
manifest.json with the ground truth of every file.

The hard cases, at about the rates the issue measured on real libraries
(per 20,000 files: ~700 album artists, ~1,750 albums):
- "The X" and "X" as two artists, each with its own MusicBrainz id on some
  of its albums (every 16th artist starts such a pair), half of the pairs
  with a self-titled album each;
- two albums of one artist with the same title, one with a release id and
  one without ("The Collection", "Greatest Hits"; every 25th artist);
- Various Artists compilations (two in 33 albums), a third of them called
  "Live" (with and without a release id): same-titled compilations with
  other track lists;
- files without an album tag (and without album artist) among tagged
  siblings in one folder (~2 % of the tracks), files with an album but no
  album artist (on compilations too), and now and then a file tagged with
  another album than its folder (it stays as tagged: its own album);
- the messy variants of names: case, accents, doubled or trailing spaces,
  "X, The" / a dropped "The" (never for the pairs), "feat." credits.

With --parts K the N files are K libraries side by side (library/part-NN),
each with its own names (the issue's 200,000-file run: ten 20,000-file
libraries in one music folder). Deterministic: same arguments, same bytes.
Reused when the requested size already exists (a marker file)."""

import json
import os
import random
import shutil
import unicodedata

import generate as g

ADJ = ["Broken", "Silent", "Golden", "Electric", "Hollow", "Velvet", "Crimson",
       "Wandering", "Frozen", "Burning", "Lonely", "Midnight", "Neon", "Paper",
       "Iron", "Glass", "Wild", "Quiet", "Restless", "Scarlet", "Distant",
       "Lucky", "Rusty", "Fading", "Bright", "Hidden", "Sleepy", "Cosmic",
       "Savage", "Gentle", "Northern", "Southern", "Eastern", "Western",
       "Happy", "Bitter", "Sweet", "Dusty", "Shiny", "Heavy", "Tiny", "Giant",
       "Young", "Ancient", "Lost", "Secret", "Wooden", "Plastic", "Solar",
       "Lunar", "Royal", "Humble", "Fearless", "Curious", "Mellow", "Rapid",
       "Sacred", "Stormy", "Sunny", "Faded", "Purple", "Hungry", "Olympic",
       "Mystic"]
NOUN = ["Foxes", "Rivers", "Ghosts", "Engines", "Wolves", "Lanterns",
        "Pilots", "Sparrows", "Machines", "Tigers", "Mirrors", "Strangers",
        "Islands", "Comets", "Saints", "Sailors", "Dreamers", "Cowboys",
        "Kings", "Queens", "Monkeys", "Robots", "Shadows", "Echoes", "Hearts",
        "Bones", "Roses", "Clouds", "Oceans", "Mountains", "Horses", "Ravens",
        "Giants", "Thieves", "Hunters", "Painters", "Poets", "Doctors",
        "Drifters", "Builders", "Prophets", "Rebels", "Travelers", "Witches",
        "Wizards", "Dragons", "Owls", "Bears", "Lions", "Whales", "Sharks",
        "Spiders", "Bees", "Moths", "Crows", "Swans", "Daggers", "Arrows",
        "Candles", "Bells", "Drums", "Guitars", "Pianos", "Violins", "Radios",
        "Satellites", "Rockets", "Trains", "Bicycles", "Tractors", "Gardens",
        "Forests", "Deserts", "Valleys", "Canyons", "Harbors", "Bridges",
        "Towers", "Castles", "Cafés", "Señoritas", "Björns", "Zoës", "Noëls",
        "Mädchen", "Façades", "Piñatas", "Déjà Vus", "Élans", "Crèmes",
        "Jalapeños", "Müllers", "Señors", "Fiancées", "Protégés", "Naïves"]
KIND = ["", " Orchestra", " Collective", " Trio", " Band", " Quartet",
        " Project", " Ensemble", " Sound", " Experience"]
WORDS = ["Love", "Night", "Fire", "Rain", "Summer", "Heart", "Road", "Light",
         "Dream", "Time", "Home", "Blue", "River", "Morning", "Shadow",
         "Ocean", "Stone", "Wind", "Gold", "Silver", "Winter", "Dance",
         "Song", "Star", "Moon", "Sun", "City", "Train", "Window", "Garden",
         "Mirror", "Letter", "Island", "Storm", "Fever", "Echo", "Ghost",
         "Angel", "Devil", "Paradise", "Highway", "Sugar", "Honey", "Thunder",
         "Lightning", "Memory", "Promise", "Secret", "Wonder", "Crystal"]
VA_MBID = "89ad4ac3-39f7-470e-963a-56509c546377"  # MusicBrainz' Various Artists
NAMES = len(ADJ) * len(NOUN) * len(KIND)


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s)
                   if unicodedata.category(c) != "Mn")


def name_variant(rng, name, the_games):
    """A spelling of `name` that must still merge with it."""
    options = ["lower", "upper", "accents", "spaces", "trailing"]
    if the_games and name.startswith("The "):
        options += ["comma_the", "no_the"]
    v = rng.choice(options)
    out = {"lower": name.lower(), "upper": name.upper(),
           "accents": strip_accents(name),
           "spaces": name.replace(" ", "  ", 1),
           "trailing": name + " ",
           "comma_the": name[4:] + ", The",
           "no_the": name[4:]}[v]
    if out == name:  # nothing to vary (no accent): vary the case instead
        out = name.lower() if name != name.lower() else name.upper()
    return out


class Part:
    """One library: its artists, albums and files, with the ground truth."""

    def __init__(self, part, parts, count, prefix):
        self.rng = random.Random(7919 * (part + 1))
        self.part, self.count, self.prefix = part, count, prefix
        self.stride = NAMES // parts
        self.next_name = 0
        self.artists = {}  # key -> {name, mbid, pair}
        self.albums = {}   # key -> {title, artist, mbid, tracks, compilation}
        self.files = []
        self.tags = []     # (relative path, tags) in file order
        self.album_no = 0
        self.comp_no = 0
        self.next_comp = 4  # album number of the next compilation
        self.titles = set()
        self.folders = set()

    # -- names ---------------------------------------------------------------

    def base_name(self):
        if self.next_name >= self.stride:
            raise SystemExit("realistic: too many artists for %d parts" % self.stride)
        # The kind word changes slowest: a one-part library has none, part k
        # of ten has the k-th. Within a kind, a permutation mixes the words.
        idx = self.part * self.stride + self.next_name
        self.next_name += 1
        per_kind = len(ADJ) * len(NOUN)
        kind, gidx = idx // per_kind, idx % per_kind * 7919 % per_kind
        return ADJ[gidx % len(ADJ)] + " " + NOUN[gidx // len(ADJ)] + KIND[kind]

    def add_artist(self, name, mbid, pair=False):
        key = "p%da%d" % (self.part, len(self.artists))
        self.artists[key] = {"name": name, "mbid": mbid, "pair": pair}
        return key

    def album_title(self):
        words = 2
        for attempt in range(1000):
            if attempt == 50:
                words = 3  # two-word titles run out in large parts
            t = " ".join(self.rng.sample(WORDS, words))
            if t not in self.titles:
                self.titles.add(t)
                return t
        raise SystemExit("realistic: out of album titles")

    def mbid(self, kind, n):
        return g.mbid(kind * 10_000_000 + self.part * 1_000_000 + n)

    # -- albums and files ----------------------------------------------------

    def add_album(self, artist, title, with_ids, tracks, comp_artists=None):
        """One album folder. comp_artists: the track artists of a Various
        Artists compilation (album artist "va")."""
        akey = "p%dl%d" % (self.part, len(self.albums))
        n = self.album_no
        self.album_no += 1
        release = self.mbid(2, n) if with_ids else ""
        year = 1970 + (n * 7) % 50
        aa = self.artists[artist]
        self.albums[akey] = {"title": title, "artist": artist, "mbid": release,
                             "tracks": tracks, "compilation": bool(comp_artists)}
        folder = os.path.join(self.prefix, g_safe(aa["name"]),
                              "%s (%d)" % (g_safe(title), year))
        if folder in self.folders:
            folder += " [%d]" % n
        self.folders.add(folder)
        # Which tracks are special (deterministic, so that small libraries
        # have every case too).
        untagged = set()
        if tracks >= 6 and n % 5 == 1:
            untagged.add(2 + n % (tracks - 2))
        if tracks >= 6 and n % 37 == 3:
            untagged.add(tracks)
        no_album_artist = set()
        if tracks >= 4 and (n % 7 == 2 or (comp_artists and self.comp_no % 2 == 0)):
            no_album_artist.add(1 + (n + 3) % tracks)
        no_album_artist -= untagged
        other_album = None
        if tracks >= 6 and n % 41 == 5 and not comp_artists:
            other_album = 1 + (n + 1) % tracks
            untagged.discard(other_album)
            no_album_artist.discard(other_album)
        words = self.rng.sample(WORDS, min(len(WORDS), tracks + 1))
        for i in range(1, tracks + 1):
            artist_key = comp_artists[(i - 1) % len(comp_artists)] if comp_artists else artist
            ta = self.artists[artist_key]
            title_t = "%s %s" % (words[i - 1], words[i]) if i % 2 else words[i - 1]
            title_t += " (%s)" % title[:12] if i == tracks else ""
            variant = {"artist": False, "album": False, "album_artist": False}
            artist_name = ta["name"]
            if self.rng.random() < 0.06:
                artist_name = name_variant(self.rng, artist_name, not ta["pair"])
                variant["artist"] = True
            featured = None
            if not comp_artists and self.rng.random() < 0.05:
                featured = self.rng.choice(self.guests)
                artist_name += self.rng.choice([" feat. ", " ft. ", " featuring "]) \
                    + self.artists[featured]["name"]
            album_name = title
            if self.rng.random() < 0.06:
                album_name = name_variant(self.rng, title, False)
                variant["album"] = True
            aa_name = aa["name"]
            if self.rng.random() < 0.03:
                aa_name = name_variant(self.rng, aa_name, not aa["pair"])
                variant["album_artist"] = True
            tags = {"title": title_t, "artist": artist_name,
                    "track": "%d/%d" % (i, tracks), "disc": "1/1",
                    "date": str(year), "genre": "Rock",
                    "isrc": "XXRL%02d%07d" % (self.part, len(self.files))}
            true_album = akey
            if i == other_album:
                # Tagged with another album than its folder: it stays so.
                other = "p%dl%d" % (self.part, len(self.albums))
                otitle = title + " Sessions"
                self.albums[other] = {"title": otitle, "artist": artist,
                                      "mbid": "", "tracks": 1,
                                      "compilation": False}
                self.albums[akey]["tracks"] -= 1
                true_album, album_name = other, otitle
                variant["album"] = False
            if i not in untagged:
                tags["album"] = album_name
                if i not in no_album_artist:
                    tags["album_artist"] = aa_name
            if with_ids and ta["mbid"]:
                tags["artist_mbid"] = ta["mbid"]
                tags["track_mbid"] = self.mbid(3, len(self.files))
                tags["release_track_mbid"] = self.mbid(4, len(self.files))
            if with_ids and "album" in tags and true_album == akey:
                tags["album_mbid"] = release
                tags["release_group_mbid"] = self.mbid(5, n)
                if "album_artist" in tags:
                    tags["album_artist_mbid"] = aa["mbid"]
            rel = os.path.join(folder, "%02d - %s.mp3" % (i, g_safe(title_t)))
            self.tags.append((rel, tags))
            self.files.append({
                "path": rel, "artist": artist_key, "album": true_album,
                "album_artist": artist, "title": title_t, "track": i,
                "featured": [featured] if featured else [],
                "album_tag": "album" in tags,
                "album_artist_tag": "album_artist" in tags,
                "variant": variant, "has_ids": bool(tags.get("album_mbid"))})

    def tracks(self):
        if self.rng.random() < 0.15:
            return self.rng.randint(4, 6)
        return self.rng.randint(8, 14)

    def left(self):
        return self.count - len(self.files)

    def build(self):
        self.add_artist("Various Artists", VA_MBID)  # p<part>a0
        self.va = "p%da0" % self.part
        # Guests (featured only) and compilation artists come from here.
        self.guests = [self.add_artist(self.base_name(), "") for _ in range(8)]
        regular = []
        i = 0
        while self.left() > 0:
            i += 1
            pair = i % 16 == 1
            if pair:
                base = self.base_name()
                keys = [self.add_artist("The " + base, self.mbid(1, 2 * i), True),
                        self.add_artist(base, self.mbid(1, 2 * i + 1), True)]
            else:
                base = self.base_name()
                name = ("The " + base) if self.rng.random() < 0.25 else base
                mbid = self.mbid(1, 2 * i) if (self.rng.random() < 0.7
                                                or i % 25 == 2) else ""
                keys = [self.add_artist(name, mbid)]
                regular.append(keys[0])
            for k in keys:
                a = self.artists[k]
                n_albums = 3 if pair else self.rng.choices(
                    [1, 2, 3, 4, 5], [30, 25, 20, 15, 10])[0]
                for j in range(n_albums):
                    if self.left() <= 0:
                        break
                    if pair:
                        with_ids = j % 2 == 0
                        # Self-titled and without ids: only the artist
                        # tells the two albums apart.
                        title = a["name"] if (j == 1 and i % 32 == 1) else self.album_title()
                    else:
                        with_ids = bool(a["mbid"]) and self.rng.random() < 0.75
                        title = self.album_title()
                    self.add_album(k, title, with_ids, min(self.tracks(), self.left()))
                    if self.album_no >= self.next_comp and len(regular) >= 2 \
                            and self.left() > 0:
                        self.next_comp += 16
                        self.compilation(regular)
                if not pair and i % 25 == 2:
                    title = "The Collection" if i % 50 == 2 else "Greatest Hits"
                    for with_ids, tracks in ((True, 12), (False, 16)):
                        if self.left() > 0:
                            self.add_album(k, title, with_ids and bool(a["mbid"]),
                                           min(tracks, self.left()))

    def compilation(self, regular):
        c = self.comp_no
        self.comp_no += 1
        live = c % 6 in (0, 1)
        title = "Live" if live else "%s Hits Vol. %d" % (self.rng.choice(WORDS), c)
        with_ids = c % 6 in (0, 2)
        tracks = min(self.rng.randint(10, 18), self.left())
        artists = self.rng.sample(regular, min(len(regular), tracks))
        self.add_album(self.va, title, with_ids, tracks, comp_artists=artists)

    def manifest(self):
        used = {f["artist"] for f in self.files} | {f["album_artist"] for f in self.files} \
            | {x for f in self.files for x in f["featured"]}
        return {"artists": {k: {"name": v["name"], "mbid": v["mbid"]}
                            for k, v in self.artists.items() if k in used},
                "albums": {k: v for k, v in self.albums.items() if v["tracks"] > 0},
                "files": self.files}


def g_safe(s):
    """A file-name-safe form (the tags keep the real spelling)."""
    return "".join("_" if c in '/\\:*?"<>|' else c for c in s).strip() or "_"


def realistic(out, count, parts=1):
    marker = os.path.join(out, "realistic-%d-%d.done" % (count, parts))
    if os.path.exists(marker):
        return
    base_dir = os.path.join(out, ".base")
    g.make_bases(base_dir)
    lib = os.path.join(out, "library")
    if os.path.exists(lib):
        shutil.rmtree(lib)
    for m in os.listdir(out):
        if m.startswith("realistic-") and m.endswith(".done"):
            os.remove(os.path.join(out, m))
    audio = open(os.path.join(base_dir, "base.mp3"), "rb").read()
    manifest = {"root": "library", "artists": {}, "albums": {}, "files": []}
    # Various Artists is one artist in every part.
    for p in range(parts):
        n = count // parts + (1 if p < count % parts else 0)
        part = Part(p, parts, n, "part-%02d" % p if parts > 1 else "")
        part.build()
        m = part.manifest()
        for k, v in m["artists"].items():
            if v["mbid"] == VA_MBID:
                k = "va"
            manifest["artists"][k] = v
        va = "p%da0" % p
        for v in m["albums"].values():
            if v["artist"] == va:
                v["artist"] = "va"
        for f in m["files"]:
            for key in ("artist", "album_artist"):
                if f[key] == va:
                    f[key] = "va"
        manifest["albums"].update(m["albums"])
        manifest["files"].extend(m["files"])
        for n_file, (rel, tags) in enumerate(part.tags):
            path = os.path.join(lib, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(g.id3v2(4 if n_file % 2 else 3, tags) + audio)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=0, ensure_ascii=False)
    open(marker, "w").write("ok\n")
