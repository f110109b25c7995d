#include "storage/queries/downloads.hpp"

#include <nlohmann/json.hpp>

namespace discotheque::storage {

namespace {

int year_of(const std::string& date) {
  if (date.size() < 4)
    return 0;
  int y = 0;
  for (size_t i = 0; i < 4; ++i) {
    if (date[i] < '0' || date[i] > '9')
      return 0;
    y = y * 10 + (date[i] - '0');
  }
  return y;
}

constexpr int64_t day_ms = int64_t{24} * 3600 * 1000;

// The columns of a wanted track (t: tracks, ar: its artist, al: its album),
// read by read_wanted from column `first` on.
constexpr const char* wanted_columns
  = "t.id, t.title, coalesce(ar.name, ''), coalesce(al.title, ''),"
    " coalesce(al.release_date, ''), coalesce(t.track_number, 0),"
    " coalesce(t.disc_number, 0), coalesce(t.duration_ms, 0),"
    " coalesce((SELECT a2.name FROM album_artists aa JOIN artists a2 ON"
    " a2.id = aa.artist_id WHERE aa.album_id = al.id ORDER BY aa.position"
    " LIMIT 1), '')";
constexpr int wanted_column_count = 9;

downloads::wanted_track read_wanted(statement& st) {
  downloads::wanted_track t;
  t.track_id = st.int64(0);
  t.title = st.text(1);
  t.artist = st.text(2);
  t.album = st.text(3);
  t.year = year_of(st.text(4));
  t.track_number = static_cast<int>(st.int64(5));
  t.disc_number = static_cast<int>(st.int64(6));
  t.duration_ms = st.int64(7);
  t.album_artist = st.text(8);
  if (t.album_artist.empty())
    t.album_artist = t.artist;
  return t;
}

} // namespace

std::vector<downloads::wanted_track> pending_downloads(database& db,
                                                       int64_t limit) {
  std::vector<downloads::wanted_track> out;
  auto st = db.prepare(
    std::string{"SELECT "} + wanted_columns
    + " FROM tracks t LEFT JOIN artists ar ON ar.id = t.artist_id"
      " LEFT JOIN albums al ON al.id = t.album_id"
      " LEFT JOIN download_jobs j ON j.track_id = t.id"
      " WHERE t.download_state = 'pending' AND t.ownership_state != 'ignored'"
      " ORDER BY coalesce(j.priority, 0) DESC,"
      " coalesce(t.download_state_updated_at, t.updated_at), t.id LIMIT ?1");
  st.bind(1, limit);
  while (st.step())
    out.push_back(read_wanted(st));
  return out;
}

std::vector<held_download> held_downloads(database& db) {
  std::vector<held_download> out;
  auto st
    = db.prepare(std::string{"SELECT "} + wanted_columns
                 + ", coalesce(j.phase, 'searching'), coalesce(j.client, ''),"
                   " coalesce(j.username, ''), coalesce(j.remote_path, ''),"
                   " coalesce(j.transfer_id, ''), coalesce(j.size, 0)"
                   " FROM tracks t LEFT JOIN artists ar ON ar.id = t.artist_id"
                   " LEFT JOIN albums al ON al.id = t.album_id"
                   " LEFT JOIN download_jobs j ON j.track_id = t.id"
                   " WHERE t.download_state = 'downloading' ORDER BY t.id");
  while (st.step()) {
    held_download h;
    h.track = read_wanted(st);
    auto c = wanted_column_count;
    h.phase = st.text(c);
    h.client = st.text(c + 1);
    h.username = st.text(c + 2);
    h.remote_path = st.text(c + 3);
    h.transfer_id = st.text(c + 4);
    h.size = st.int64(c + 5);
    out.push_back(std::move(h));
  }
  return out;
}

downloads::blocklist blocklist_of(database& db, const std::string& client) {
  downloads::blocklist out;
  auto st = db.prepare("SELECT username, remote_path FROM download_blocklist"
                       " WHERE client = ?1");
  st.bind(1, std::string_view{client});
  while (st.step())
    out.emplace(st.text(0), st.text(1));
  return out;
}

download_queue_view download_queue(database& db, int64_t now, int64_t limit) {
  download_queue_view v;
  auto since = now - day_ms;
  auto counts = db.prepare(
    "SELECT"
    " sum(t.download_state = 'pending'),"
    " sum(t.download_state = 'downloading' AND coalesce(j.phase, 'searching')"
    "     = 'searching'),"
    " sum(t.download_state = 'downloading' AND j.phase IN ('transferring',"
    "     'importing')),"
    " sum(t.download_state = 'failed')"
    " FROM tracks t LEFT JOIN download_jobs j ON j.track_id = t.id"
    " WHERE t.download_state IN ('pending', 'downloading', 'failed')");
  if (counts.step()) {
    v.pending = counts.opt_int64(0).value_or(0);
    v.searching = counts.opt_int64(1).value_or(0);
    v.transferring = counts.opt_int64(2).value_or(0);
    v.failed = counts.opt_int64(3).value_or(0);
  }
  v.done_24h = db.query_int("SELECT count(*) FROM download_events WHERE"
                            " to_state = 'downloaded' AND at >= ?1",
                            {sql_value::of(since)})
                 .value_or(0);
  v.failed_24h = db.query_int("SELECT count(*) FROM download_events WHERE"
                              " to_state = 'failed' AND at >= ?1",
                              {sql_value::of(since)})
                   .value_or(0);
  auto st = db.prepare(
    "SELECT t.id, coalesce(ar.name, ''), coalesce(al.title, ''), t.title,"
    " CASE WHEN t.download_state = 'downloading' THEN coalesce(j.phase,"
    " 'searching') ELSE t.download_state END, coalesce(t.last_error, ''),"
    " coalesce(t.download_state_updated_at, t.updated_at),"
    " coalesce(j.attempts, 0), coalesce(j.retry_at, 0),"
    " coalesce(j.username, ''), coalesce(j.remote_path, '')"
    " FROM tracks t LEFT JOIN artists ar ON ar.id = t.artist_id"
    " LEFT JOIN albums al ON al.id = t.album_id"
    " LEFT JOIN download_jobs j ON j.track_id = t.id"
    " WHERE t.download_state IN ('pending', 'downloading', 'failed')"
    " OR (t.download_state = 'downloaded' AND j.track_id IS NOT NULL AND"
    " t.download_state_updated_at >= ?1)"
    " ORDER BY CASE t.download_state WHEN 'downloading' THEN 0 WHEN"
    " 'pending' THEN 1 WHEN 'failed' THEN 2 ELSE 3 END,"
    " coalesce(t.download_state_updated_at, t.updated_at) DESC, t.id"
    " LIMIT ?2");
  st.bind(1, since);
  st.bind(2, limit);
  while (st.step()) {
    download_item i;
    i.track_id = st.int64(0);
    i.artist = st.text(1);
    i.album = st.text(2);
    i.title = st.text(3);
    i.state = st.text(4);
    i.last_error = st.text(5);
    i.updated_at = st.int64(6);
    i.attempts = st.int64(7);
    i.retry_at = st.int64(8);
    i.username = st.text(9);
    i.remote_path = st.text(10);
    v.items.push_back(std::move(i));
  }
  return v;
}

std::string download_history_json(database& db, int64_t track_id) {
  if (!db.query_int("SELECT 1 FROM tracks WHERE id = ?1",
                    {sql_value::of(track_id)}))
    return {};
  nlohmann::json events = nlohmann::json::array();
  auto ev = db.prepare("SELECT at, coalesce(from_state, ''), to_state,"
                       " coalesce(reason, '') FROM download_events WHERE"
                       " track_id = ?1 ORDER BY at, id");
  ev.bind(1, track_id);
  while (ev.step())
    events.push_back({{"at", ev.int64(0)},
                      {"from", ev.text(1)},
                      {"to", ev.text(2)},
                      {"reason", ev.text(3)}});
  nlohmann::json decisions = nlohmann::json::array();
  auto de = db.prepare("SELECT at, client, record FROM download_decisions"
                       " WHERE track_id = ?1 ORDER BY at, id");
  de.bind(1, track_id);
  while (de.step()) {
    nlohmann::json record;
    try {
      record = nlohmann::json::parse(de.text(2));
    } catch (const std::exception&) {
      record = de.text(2);
    }
    decisions.push_back(
      {{"at", de.int64(0)}, {"client", de.text(1)}, {"record", record}});
  }
  nlohmann::json j{{"track_id", track_id},
                   {"state", db.query_text("SELECT download_state FROM tracks"
                                           " WHERE id = ?1",
                                           {sql_value::of(track_id)})
                               .value_or("")},
                   {"events", events},
                   {"decisions", decisions}};
  return j.dump();
}

} // namespace discotheque::storage
