// Playlists: each with its tracks (owned or not), the sync-mode selector,
// Own All Tracks and Download Owned Only (the seed's playlist page).
import { get, post, put, el, table, act, badge, toast, rerender } from "./api.js";

const MODES = [
  ["reference_only", "Reference Only (default)", "tracks are known, ownership untouched"],
  ["auto_own_tracks", "Auto-Own Tracks", "every track of the playlist is owned"],
  ["disabled", "Don't Sync", "the playlist is not synced"],
];

async function list() {
  const page = await get("/api/library/playlists");
  const items = page.items || page.playlists || [];
  return el("section", {},
    el("h1", {}, "Playlists"),
    items.length ? table(["Playlist", "Provider", "Tracks", "Sync mode", "Last synced"],
      items.map((p) => el("tr", { "data-id": p.id, "data-name": p.name },
        el("td", {}, el("a", { href: `#/playlists/${p.id}` }, p.name)),
        el("td", {}, p.provider || ""),
        el("td", {}, String(p.track_count ?? "")),
        el("td", {}, badge(p.sync_mode)),
        el("td", {}, p.last_synced_at || p.last_synced || "–"))), { id: "playlists" })
      : el("p", {}, "No playlists yet: they come with sync_playlists."));
}

function modeSelector(p) {
  return el("fieldset", { class: "sync-mode", id: "sync-mode" },
    el("legend", {}, "Sync Mode"),
    MODES.map(([value, label, help]) => el("label", {},
      el("input", {
        type: "radio", name: "sync_mode", value, checked: p.sync_mode === value,
        onchange: async () => {
          try {
            await put(`/api/library/playlists/${p.id}`, { sync_mode: value });
            toast(`Sync mode: ${label}`);
          } catch (e) {
            toast(`Sync mode: ${e.message}`, true);
          }
          rerender();
        },
      }),
      ` ${label} `, el("small", {}, help))));
}

async function detail(id) {
  const p = await get(`/api/library/playlists/${id}`);
  const tracks = p.tracks || [];
  const base = `/api/library/playlists/${id}/`;
  const own = (t) => el("button", {
    type: "button", class: "small", "data-action": "own",
    onclick: () => act(`Own ${t.title}`, () => post(`/api/library/tracks/${t.track_id}/own`), rerender),
  }, "Add");
  return el("section", { class: "detail" },
    el("p", {}, el("a", { href: "#/playlists" }, "← Playlists")),
    el("h1", {}, p.name),
    el("p", {}, `${p.provider || ""} · ${tracks.length} tracks`, p.description ? ` · ${p.description}` : ""),
    modeSelector(p),
    table(["#", "Track", "Artist", "Owned?", "Download"],
      tracks.map((t) => el("tr", { "data-id": t.track_id },
        el("td", {}, String(t.position ?? "")),
        el("td", {}, t.title || ""),
        el("td", {}, t.artist || t.artist_name || ""),
        el("td", {}, t.owned ? "✓ Yes" : el("span", {}, "✗ No ", own(t))),
        el("td", {}, badge(t.download_state)))), { id: "playlist-tracks" }),
    el("p", { class: "buttons" },
      el("button", { type: "button", id: "own-all",
        onclick: () => act("Own All Tracks", () => post(base + "own-all"), rerender) }, "Own All Tracks"),
      el("button", { type: "button", id: "download-owned",
        onclick: () => act("Download Owned Only", () => post(base + "download-owned"), rerender) },
      "Download Owned Only")));
}

export async function render(params) {
  return params.length ? detail(params[0]) : list();
}
