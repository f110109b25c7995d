#include "actors/dedup/merge.hpp"

#include "actors/dedup/columns.hpp"
#include "actors/dedup/matching.hpp"
#include "actors/dedup/spelling.hpp"
#include "library/normalize.hpp"
#include "storage/queries/dedup.hpp"
#include "storage/writes/images.hpp"
#include "support/time.hpp"

#include <algorithm>
#include <map>

namespace discotheque::dedup {

namespace {

constexpr auto free_for = &identity_index::free_for;
constexpr auto insert_sorted = &identity_index::insert_sorted;

/// Turns one ingest_batch into statements, updating the indexes as it goes
/// so that later entities of the same batch find the earlier ones.
struct batch_builder {
  identity_index& st;
  storage::library_writes& w;
  const ingest_batch& b;
  const std::vector<std::string>& providers;
  write_request req;
  ingest_result res;
  bool claimed; ///< the batch claims ownership (reason not empty)
  bool local;   ///< local files: tracks carry a path

  batch_builder(identity_index& s, storage::library_writes& writes,
                const ingest_batch& batch)
    : st(s),
      w(writes),
      b(batch),
      providers(s.providers()),
      claimed(!batch.reason.empty()),
      local(batch.source == "local") {
  }

  std::vector<storage::new_track> new_tracks;
  std::vector<storage::track_credit> credits;
  std::map<std::string, std::vector<int64_t>> claims; ///< entity type -> ids

  void claim(const char* type, int64_t id) {
    if (claimed)
      claims[type].push_back(id);
  }

  /// Emits the collected rows. Runs before any statement that may touch a
  /// track inserted earlier in the batch, and at the end.
  void flush() {
    w.insert_tracks(req, new_tracks);
    w.insert_credits(req, credits);
    for (auto& [type, ids] : claims)
      storage::library_writes::upsert_claims(req, type, ids, b.source, b.reason,
                                             b.run_id);
    claims.clear();
  }

  /// Offers a cloud provider's image link of a row once per warm index (the
  /// statement keeps it only where the row has no image URL yet).
  template <class Rec>
  void
  offer_image(Rec& r, const char* type, int64_t id, const std::string& url) {
    if (url.empty() || r.image_offered || local)
      return;
    r.image_offered = true;
    req.statements.push_back(storage::offer_image_url(type, id, url, b.source));
  }

  /// The first row a provider id of `dto` names in `slots`, in slot order,
  /// that `accept` takes; 0 if none.
  template <class Dto, class Accept>
  int64_t by_provider(const identity_index::provider_indexes& slots,
                      const Dto& dto, Accept accept) const {
    for (size_t i = 0; i < slots.size(); ++i) {
      const auto& pid = provider_id(dto, providers[i]);
      if (pid.empty())
        continue;
      if (auto it = slots[i].find(pid);
          it != slots[i].end() && accept(it->second))
        return it->second;
    }
    return 0;
  }

  /// Fills the provider ids row `id` lacks and no other row carries; the
  /// values to write per slot (null: nothing new). `changed` tells whether
  /// any is set.
  template <class Dto>
  std::vector<sql_value> fill_ids(identity_index::provider_indexes& slots,
                                  const Dto& dto, provider_mask& known,
                                  int64_t id, bool& changed) {
    std::vector<sql_value> out(slots.size());
    for (size_t i = 0; i < slots.size(); ++i) {
      auto bit = provider_mask{1} << i;
      const auto& v = provider_id(dto, providers[i]);
      if ((known & bit) || !free_for(slots[i], v, id))
        continue;
      slots[i][v] = id;
      known |= bit;
      out[i] = sql_value::of(v);
      changed = true;
    }
    return out;
  }

  int64_t artist(const artist_dto& a, bool owned) {
    std::string name = tidy(a.name);
    if (name.empty())
      name = "Unknown Artist";
    int64_t id = 0;
    if (!a.mbid.empty())
      if (auto it = st.artist_by_mbid.find(a.mbid);
          it != st.artist_by_mbid.end())
        id = it->second;
    if (id == 0)
      id = by_provider(st.artist_by_provider, a, [&](int64_t c) {
        return mbid_compatible(a.mbid, st.artists[c].mbid);
      });
    // By name only the exact spelling ("The" kept): "The X" and "X" meet
    // only through an id seen under both spellings (matching.hpp).
    auto spelling = library::artist_spelling(name);
    auto& same = st.artist_by_spelling[spelling];
    if (id == 0)
      id = pick_artist(st, same, a.mbid);
    bool created = id == 0;
    if (created) {
      id = st.next_artist++;
      st.artists[id].name = name;
    }
    // Recorded (after the row exists), so a warm-up knows it too.
    bool new_spelling = insert_sorted(same, id);
    auto& r = st.artists[id];
    if (!created && better_spelling(name, r.name)) {
      r.name = name;
      w.rename_artist(req, id, name);
    }
    bool changes = false;
    storage::artist_columns x;
    if (r.mbid.empty() && free_for(st.artist_by_mbid, a.mbid, id)) {
      r.mbid = a.mbid;
      st.artist_by_mbid[a.mbid] = id;
      x.mbid = sql_value::of(a.mbid);
      changes = true;
    }
    x.ids = fill_ids(st.artist_by_provider, a, r.ids, id, changes);
    x.id = id;
    x.sort_name = text_or_null(a.sort_name);
    x.genres = text_or_null(genres_json(a.genres));
    x.owned = owned;
    x.source = b.source;
    auto known = known_columns(a);
    if (created) {
      ++res.created;
      auto key = library::artist_key(name); // what the API searches
      x.normalized_name = key.empty() ? name : key;
      x.name = name;
      w.insert_artist(req, std::move(x));
    } else {
      ++res.merged;
      changes = changes || (owned && !r.settled) || (known & ~r.filled);
      if (changes)
        w.fill_artist(req, std::move(x));
    }
    if (new_spelling)
      w.add_artist_spelling(req, id, std::move(spelling));
    offer_image(r, "artist", id, a.image_url);
    r.settled = r.settled || owned;
    r.filled |= known;
    return id;
  }

  /// The known album `a` names by MBID, else by provider id (never one with
  /// another MBID); 0 if none. Names are matched by album() only: an album
  /// with no title is never created.
  int64_t known_album(const album_dto& a) const {
    if (!a.mbid.empty())
      if (auto it = st.album_by_mbid.find(a.mbid); it != st.album_by_mbid.end())
        return it->second;
    return by_provider(st.album_by_provider, a, [&](int64_t c) {
      return mbid_compatible(a.mbid, st.albums.at(c).mbid);
    });
  }

  /// `t`: the track that brings the album (its file's folder and its
  /// tracks are evidence), with its main artist's row and folded title.
  int64_t album(const album_dto& a, bool owned, int64_t fallback_artist,
                const track_dto* t = nullptr, int64_t track_artist = 0,
                std::string_view track_title = {}) {
    std::vector<int64_t> artist_ids;
    for (auto& x : a.artists)
      artist_ids.push_back(artist(x, owned));
    if (artist_ids.empty() && fallback_artist != 0)
      artist_ids.push_back(fallback_artist);
    std::string title = tidy(a.title);
    auto folded = library::fold(title);
    auto key = identity_index::album_key(
      artist_ids.empty() ? 0 : artist_ids.front(), folded);
    album_evidence e;
    e.mbid = a.mbid;
    e.total_tracks = a.total_tracks;
    if (local && t != nullptr)
      e.folder = folder_key(t->local_path);
    if (t != nullptr)
      e.position = track_position(t->disc_number, t->track_number, track_title);
    e.various = !a.artists.empty()
                && library::is_various_artists(a.artists.front().name);
    e.track_artist = track_artist;
    e.track_title = track_title;
    int64_t id = known_album(a);
    if (id == 0)
      if (auto it = st.album_by_name.find(key); it != st.album_by_name.end())
        id = pick_album(st, it->second, e);
    bool created = id == 0;
    if (created) {
      id = st.next_album++;
      st.albums[id].title = title;
      insert_sorted(st.album_by_name[key], id);
    }
    auto& r = st.albums[id];
    if (!created && better_spelling(title, r.title)) {
      r.title = title;
      w.rename_album(req, id, title);
    }
    bool changes = false;
    storage::album_columns x;
    if (r.mbid.empty() && free_for(st.album_by_mbid, a.mbid, id)) {
      r.mbid = a.mbid;
      st.album_by_mbid[a.mbid] = id;
      x.mbid = sql_value::of(a.mbid);
      changes = true;
    }
    x.ids = fill_ids(st.album_by_provider, a, r.ids, id, changes);
    x.id = id;
    x.release_group_mbid = text_or_null(a.release_group_mbid);
    x.upc = text_or_null(a.upc);
    x.album_type = text_or_null(a.album_type);
    x.release_date = text_or_null(a.release_date);
    x.total_tracks = int_or_null(a.total_tracks);
    x.total_discs = int_or_null(a.total_discs);
    x.genres = text_or_null(genres_json(a.genres));
    x.owned = owned;
    x.source = b.source;
    auto known = known_columns(a);
    if (created) {
      ++res.created;
      x.title = title;
      x.normalized_title = std::move(folded);
      w.insert_album(req, std::move(x));
    } else {
      ++res.merged;
      changes = changes || (owned && !r.settled) || (known & ~r.filled);
      if (changes)
        w.fill_album(req, std::move(x));
    }
    offer_image(r, "album", id, a.image_url);
    r.settled = r.settled || owned;
    r.filled |= known;
    identity_index::add_folder(r, e.folder);
    identity_index::add_position(r, e.position);
    if (r.total_tracks == 0)
      r.total_tracks = a.total_tracks;
    for (auto artist_id : artist_ids) {
      auto& linked = r.artists;
      if (std::find(linked.begin(), linked.end(), artist_id) != linked.end())
        continue;
      linked.push_back(artist_id);
      w.link_album_artist(req, id, artist_id,
                          static_cast<int64_t>(linked.size() - 1));
    }
    return id;
  }

  /// A track that may take this incoming one: a local file never takes a
  /// track that another file on disk backs already.
  bool eligible(int64_t id, const track_dto& t) {
    auto& r = st.tracks[id];
    if (local && r.has_local)
      return false;
    return t.mbid.empty() || r.mbid.empty() || key128::of(t.mbid) == r.mbid;
  }

  /// The known track `t` is, first hit wins; 0 if none.
  int64_t match_track(const track_dto& t, const std::string& key) {
    auto scan_multi = [&](const key_index& idx,
                          const std::string& k) -> int64_t {
      if (k.empty())
        return 0;
      for (auto c : idx.find(k))
        if (eligible(c, t))
          return c;
      return 0;
    };
    if (auto id = scan_multi(st.track_by_mbid, t.mbid))
      return id;
    if (auto id = scan_multi(st.track_by_isrc, t.isrc))
      return id;
    if (auto id = by_provider(st.track_by_provider, t,
                              [&](int64_t c) { return eligible(c, t); }))
      return id;
    return scan_multi(st.track_by_name, key);
  }

  int64_t track(const track_dto& t, bool owned);

  void gone(const std::string& path) {
    auto id = st.track_by_path.erase(path);
    if (id == 0)
      return;
    st.tracks[id].has_local = false;
    w.clear_track_file(req, id);
    ++res.gone;
  }

  void build() {
    for (auto& p : b.gone_paths)
      gone(p);
    // Artists carrying an MBID first, so that a name-only spelling in the
    // same batch joins the identified artist rather than the other way
    // round, whatever the order of the batch.
    auto warm_mbid = [&](const artist_dto& a, bool owned) {
      if (!a.mbid.empty() && !st.artist_by_mbid.count(a.mbid))
        artist(a, owned);
    };
    for (auto& t : b.tracks) {
      for (auto& a : t.artists)
        warm_mbid(a, claimed);
      for (auto& a : t.album.artists)
        warm_mbid(a, claimed);
    }
    for (auto& a : b.artists) {
      auto id = artist(a, claimed);
      res.artist_ids.push_back(id);
      claim("artist", id);
    }
    for (auto& a : b.albums) {
      auto id = album(a, claimed, 0);
      res.album_ids.push_back(id);
      claim("album", id);
    }
    for (auto& t : b.tracks) {
      auto id = track(t, claimed);
      res.track_ids.push_back(id);
      claim("track", id);
    }
    flush();
  }
};

int64_t batch_builder::track(const track_dto& t, bool owned) {
  std::vector<int64_t> main_ids;
  for (auto& a : t.artists)
    main_ids.push_back(artist(a, owned));
  if (main_ids.empty()) {
    artist_dto unknown;
    unknown.name = "Unknown Artist";
    main_ids.push_back(artist(unknown, owned));
  }
  std::vector<int64_t> featured_ids;
  for (auto& a : t.featured)
    featured_ids.push_back(artist(a, false));
  std::string title = library::repair_utf8(t.title);
  if (title.empty())
    title = "Untitled";
  auto norm = library::fold(title);
  int64_t album_id = 0;
  if (!t.album.title.empty())
    album_id = album(t.album, owned, main_ids.front(), &t, main_ids.front(),
                     norm);
  else
    album_id = known_album(t.album); // an album's track list names only its id
  auto key = identity_index::track_key(main_ids.front(), album_id, norm);
  bool has_path = local && !t.local_path.empty();
  int64_t id = 0;
  bool same_file = false;
  if (has_path)
    if (auto known = st.track_by_path.find(t.local_path); known != 0) {
      id = known;
      same_file = true;
    }
  if (id == 0)
    id = match_track(t, key);
  bool created = id == 0;
  if (created) {
    id = st.next_track++;
    st.tracks[id];
    st.track_by_name.insert(key, id);
  }
  auto& r = st.tracks[id];
  bool changes = false; // a known track is always merged: the flag is unused
  storage::track_columns x;
  if (r.mbid.empty() && !t.mbid.empty()) {
    r.mbid = key128::of(t.mbid);
    st.track_by_mbid.insert(t.mbid, id);
    x.mbid = sql_value::of(t.mbid);
  }
  if (!r.isrc && !t.isrc.empty()) {
    r.isrc = true;
    st.track_by_isrc.insert(t.isrc, id);
    x.isrc = sql_value::of(t.isrc);
  }
  if (!r.rtm && !t.release_track_mbid.empty()) {
    r.rtm = true;
    x.release_track_mbid = sql_value::of(t.release_track_mbid);
  }
  x.ids = fill_ids(st.track_by_provider, t, r.ids, id, changes);
  x.id = id;
  x.title = title;
  x.normalized_title = norm;
  x.album_id = int_or_null(album_id);
  x.artist_id = main_ids.front();
  x.track_number = int_or_null(t.track_number);
  x.track_total = int_or_null(t.track_total);
  x.disc_number = int_or_null(t.disc_number);
  x.disc_total = int_or_null(t.disc_total);
  x.duration_ms = int_or_null(t.duration_ms);
  x.genre = text_or_null(t.genre);
  x.album_inferred = t.album_inferred;
  x.owned = owned;
  x.source = b.source;
  bool queue = b.auto_queue && owned;
  if (created) {
    ++res.created;
    ++res.tracks_created;
    storage::new_track n;
    n.download_state = has_path ? "downloaded"
                       : queue  ? "pending"
                                : "not_needed";
    n.download_state_updated_at = n.download_state == "not_needed"
                                    ? sql_value::null()
                                    : sql_value::of(now_ms());
    if (has_path) {
      n.local_path = sql_value::of(t.local_path);
      n.file_size = sql_value::of(t.file_size);
      n.file_mtime = sql_value::of(t.file_mtime);
    }
    n.columns = std::move(x);
    new_tracks.push_back(std::move(n));
  } else {
    ++res.merged;
    ++res.tracks_merged;
    flush();
    if (same_file) {
      w.refresh_track_from_file(req, x);
      w.clear_track_credits(req, id);
      st.track_by_name.insert(key, id);
    }
    w.fill_track(req, std::move(x),
                 has_path ? storage::download_change::on_disk
                 : queue  ? storage::download_change::queue
                          : storage::download_change::keep);
    if (has_path)
      w.set_track_file(req, id, t.local_path, t.file_size, t.file_mtime);
  }
  if (has_path) {
    r.has_local = true;
    st.track_by_path.set(t.local_path, id);
  }
  int64_t pos = 0;
  for (auto a : main_ids)
    credits.push_back({id, a, "main", pos++});
  for (auto a : featured_ids)
    credits.push_back({id, a, "featured", pos++});
  return id;
}

} // namespace

merge_outcome merge(const ingest_batch& batch, identity_index& index,
                    storage::library_writes& writes) {
  batch_builder bb{index, writes, batch};
  bb.build();
  return {std::move(bb.req), std::move(bb.res)};
}

} // namespace discotheque::dedup
