// Library: artists → albums → tracks with ownership and download state,
// search and filters, and your own actions (own, unown, ignore, unignore,
// download track / album / discography, retry).
import { get, post, el, table, act, badge, imageUrl, rerender } from "./api.js";

const OWNERSHIP = ["", "owned", "discovered", "ignored"];
const DOWNLOAD = ["", "not_needed", "pending", "downloading", "downloaded", "failed"];
const DOWNLOAD_LABEL = { artists: "Download Discography", albums: "Download All", tracks: "Download" };

// The list's filters survive a redraw (an action, a page change).
const filter = { kind: "artists", q: "", ownership_state: "", download_state: "", offset: 0 };
const LIMIT = 50;

const nameOf = (row) => row.name || row.title || `#${row.id}`;

function cover(kind, id) {
  // Only where the image API has one: a missing image just hides itself.
  return el("img", {
    class: "cover", loading: "lazy", alt: "", src: imageUrl(kind, id),
    onerror: (ev) => ev.target.remove(),
  });
}

/// The action buttons of one row.
export function actions(kind, row) {
  const base = `/api/library/${kind}/${row.id}/`;
  const button = (name, label) => el("button", {
    type: "button", class: "small", "data-action": name,
    onclick: () => act(`${label} ${nameOf(row)}`, () => post(base + name), rerender),
  }, label);
  const ignored = row.ownership_state === "ignored";
  return el("span", { class: "actions" },
    ignored ? button("unignore", "Unignore") : [
      row.ownership_state === "owned" ? button("unown", "Unown") : button("own", "Own"),
      button("ignore", "Ignore"),
      button("download", DOWNLOAD_LABEL[kind]),
      kind === "tracks" && row.download_state === "failed" ? button("retry", "Retry") : null,
    ]);
}

function link(kind, row) {
  if (kind === "tracks") return el("span", {}, nameOf(row));
  return el("a", { href: `#/library/${kind}/${row.id}` }, nameOf(row));
}

function rowOf(kind, r) {
  const cells = [el("td", {}, kind !== "tracks" ? cover(kind, r.id) : "", link(kind, r))];
  if (kind !== "artists") cells.push(el("td", {}, r.artist_name || ""));
  if (kind === "tracks") cells.push(el("td", {}, r.album_title || ""));
  cells.push(el("td", {}, badge(r.ownership_state)));
  if (kind === "tracks") cells.push(el("td", {}, badge(r.download_state),
    r.last_error ? el("div", { class: "error" }, r.last_error) : ""));
  cells.push(el("td", {}, actions(kind, r)));
  return el("tr", { "data-id": r.id, "data-name": nameOf(r) }, cells);
}

function headersOf(kind) {
  const h = [kind === "artists" ? "Artist" : kind === "albums" ? "Album" : "Track"];
  if (kind !== "artists") h.push("Artist");
  if (kind === "tracks") h.push("Album");
  h.push("Ownership");
  if (kind === "tracks") h.push("Download");
  h.push("");
  return h;
}

function select(name, choices) {
  return el("select", {
    name, onchange: (ev) => { filter[name] = ev.target.value; filter.offset = 0; rerender(); },
  }, choices.map((c) => el("option", { value: c, selected: filter[name] === c }, c || `any ${name.replace("_", " ")}`)));
}

async function list() {
  const p = new URLSearchParams({ limit: LIMIT, offset: filter.offset });
  if (filter.q) p.set("q", filter.q);
  if (filter.ownership_state) p.set("ownership_state", filter.ownership_state);
  if (filter.kind === "tracks" && filter.download_state) p.set("download_state", filter.download_state);
  const page = await get(`/api/library/${filter.kind}?${p}`);
  const tabs = ["artists", "albums", "tracks"].map((k) => el("button", {
    type: "button", class: k === filter.kind ? "tab active" : "tab",
    onclick: () => { filter.kind = k; filter.offset = 0; rerender(); },
  }, k[0].toUpperCase() + k.slice(1)));
  const search = el("form", {
    class: "filters",
    onsubmit: (ev) => { ev.preventDefault(); filter.q = ev.target.q.value; filter.offset = 0; rerender(); },
  },
  el("input", { name: "q", type: "search", value: filter.q, placeholder: "Search by name" }),
  select("ownership_state", OWNERSHIP),
  filter.kind === "tracks" ? select("download_state", DOWNLOAD) : "",
  el("button", { type: "submit" }, "Search"));
  const pager = el("p", { class: "pager" },
    el("button", { type: "button", disabled: filter.offset === 0,
      onclick: () => { filter.offset = Math.max(0, filter.offset - LIMIT); rerender(); } }, "‹ Previous"),
    ` ${page.total ? filter.offset + 1 : 0}–${Math.min(filter.offset + LIMIT, page.total)} of ${page.total} `,
    el("button", { type: "button", disabled: filter.offset + LIMIT >= page.total,
      onclick: () => { filter.offset += LIMIT; rerender(); } }, "Next ›"));
  return el("section", {},
    el("h1", {}, "Library"),
    el("div", { class: "tabs" }, tabs),
    search,
    table(headersOf(filter.kind), page.items.map((r) => rowOf(filter.kind, r)), { id: "library" }),
    pager);
}

async function detail(kind, id) {
  const row = await get(`/api/library/${kind}/${id}`);
  const childKind = kind === "artists" ? "albums" : "tracks";
  // The list endpoint, so the children carry their states and names.
  const p = new URLSearchParams({ limit: 500, [kind === "artists" ? "artist_id" : "album_id"]: id });
  const children = (await get(`/api/library/${childKind}?${p}`)).items;
  return el("section", { class: "detail" },
    el("p", {}, el("a", { href: "#/library" }, "← Library")),
    el("div", { class: "detail-head" }, cover(kind, id),
      el("div", {},
        el("h1", {}, nameOf(row)),
        el("p", {}, badge(row.ownership_state), row.artist_name ? ` · ${row.artist_name}` : "",
          row.release_date ? ` · ${row.release_date}` : "", row.mbid ? ` · MBID ${row.mbid}` : ""),
        actions(kind, row))),
    el("h2", {}, childKind === "albums" ? "Albums" : "Tracks"),
    table(headersOf(childKind), children.map((r) => rowOf(childKind, r)), { id: "library-detail" }));
}

export async function render(params) {
  if (params.length >= 2 && (params[0] === "artists" || params[0] === "albums"))
    return detail(params[0], params[1]);
  return list();
}
