// Wanted and downloads: what is pending, transferring, failed and why.
// From GET /api/library/downloads when the service has it (the download
// worker's queue), else from the tracks' download states.
import { get, post, el, table, act, badge, ago, ApiError, rerender } from "./api.js";

export const live = true;

const STATES = ["pending", "downloading", "failed"];

async function queue() {
  try {
    const q = await get("/api/library/downloads");
    return { items: q.items || [], counts: q.counts || {}, source: "download queue" };
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 404 && e.status !== 405)) throw e;
  }
  // No download endpoint yet: the tracks' own download states.
  const pages = await Promise.all(STATES.map((s) =>
    get(`/api/library/tracks?download_state=${s}&limit=500`)));
  const items = [];
  const counts = {};
  pages.forEach((page, i) => {
    counts[STATES[i]] = page.total;
    for (const t of page.items)
      items.push({
        track_id: t.id, artist: t.artist_name, album: t.album_title, title: t.title,
        state: t.download_state, last_error: t.last_error || null,
        updated_at: t.download_state_updated_at || t.updated_at,
      });
  });
  return { items, counts, source: "tracks' download states" };
}

export async function render() {
  const q = await queue();
  const retry = (t) => el("button", {
    type: "button", class: "small", "data-action": "retry",
    onclick: () => act(`Retry ${t.title}`, () => post(`/api/library/tracks/${t.track_id}/retry`), rerender),
  }, "Retry");
  return el("section", {},
    el("h1", {}, "Wanted and downloads"),
    el("p", { id: "download-counts" },
      Object.entries(q.counts).map(([k, v]) => el("span", { class: "count" }, badge(k), ` ${v} `)),
      el("small", {}, ` (from the ${q.source})`)),
    q.items.length
      ? table(["Track", "Artist", "Album", "State", "Why", "Since", ""],
        q.items.map((t) => el("tr", { "data-id": t.track_id, "data-state": t.state },
          el("td", {}, t.title || ""),
          el("td", {}, t.artist || ""),
          el("td", {}, t.album || ""),
          el("td", {}, badge(t.state)),
          el("td", { class: "error" }, t.last_error || ""),
          el("td", { title: t.updated_at || "" }, ago(t.updated_at)),
          el("td", {}, t.state === "failed" ? retry(t) : ""))), { id: "downloads" })
      : el("p", {}, "Nothing is wanted: no pending, transferring or failed download."));
}
