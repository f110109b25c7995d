// The dashboard's entry point: login (the API key, once, kept in
// localStorage; ?apikey=KEY in the page URL logs in directly), hash routes,
// live updates (Server-Sent Events from /api/system/events, else polling).
import { apiKey, setApiKey, get, whenUnauthorized, el, setRerender } from "./api.js";
import * as tasks from "./tasks.js";
import * as health from "./health.js";
import * as library from "./library.js";
import * as playlists from "./playlists.js";
import * as downloads from "./downloads.js";
import * as settings from "./settings.js";

const pages = { tasks, health, library, playlists, downloads, settings };
const view = document.getElementById("view");
let current = null;
/// Renders overlap (a click while a page loads, a live update): only the
/// newest one may replace the view, never a late older one.
let generation = 0;

function route() {
  const [name, ...rest] = (location.hash.replace(/^#\/?/, "") || "tasks").split("/");
  return { name: pages[name] ? name : "tasks", params: rest.map(decodeURIComponent) };
}

async function show() {
  if (!apiKey()) return askKey();
  const { name, params } = route();
  current = pages[name];
  for (const a of document.querySelectorAll("nav a"))
    a.classList.toggle("active", a.dataset.page === name);
  document.body.dataset.page = name;
  const mine = ++generation;
  try {
    const content = await current.render(params);
    if (mine !== generation) return;
    view.replaceChildren(content);
  } catch (e) {
    if (mine === generation && e.status !== 401)
      view.replaceChildren(el("p", { class: "error" }, `Could not load this page: ${e.message}`));
  }
}

/// Live updates redraw the pages that show running work (tasks, health,
/// downloads), never one with a form being edited.
function refresh() {
  if (current && current.live) return show();
}
setRerender(show);

function askKey(message) {
  const dlg = document.getElementById("login");
  document.getElementById("login-error").textContent = message || "";
  if (!dlg.open) dlg.showModal();
  document.getElementById("login-key").focus();
}

document.getElementById("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const key = document.getElementById("login-key").value.trim();
  setApiKey(key);
  try {
    await get("/api/library/status");
  } catch (e) {
    document.getElementById("login-error").textContent =
      e.status === 401 ? "That key is wrong." : `The service did not answer: ${e.message}`;
    return;
  }
  document.getElementById("login").close();
  startLive();
  show();
});

document.getElementById("logout").addEventListener("click", () => {
  setApiKey("");
  stopLive();
  view.replaceChildren();
  askKey();
});

whenUnauthorized(() => {
  setApiKey("");
  stopLive();
  askKey("The API key was refused: log in again.");
});

// --- live updates ------------------------------------------------------------
let source = null;
let pollTimer = null;
const liveBadge = document.getElementById("live");

function setLive(text, cls) {
  liveBadge.textContent = text;
  liveBadge.className = "live " + cls;
}

function stopLive() {
  if (source) source.close();
  source = null;
  clearInterval(pollTimer);
  pollTimer = null;
  setLive("offline", "");
}

function poll() {
  stopLive();
  setLive("polling every 2 s", "polling");
  pollTimer = setInterval(() => {
    if (!document.hidden) refresh();
  }, 2000);
}

/// An EventSource when the service streams events (text/event-stream at
/// /api/system/events); when that endpoint is not there, polling.
async function startLive() {
  stopLive();
  const url = `/api/system/events?apikey=${encodeURIComponent(apiKey())}`;
  const probe = new AbortController();
  let streams = false;
  try {
    const res = await fetch(url, { signal: probe.signal, headers: { Accept: "text/event-stream" } });
    streams = res.ok && (res.headers.get("content-type") || "").startsWith("text/event-stream");
  } catch {
    streams = false;
  }
  probe.abort();
  if (!streams) return poll();
  source = new EventSource(url);
  setLive("live", "on");
  for (const type of ["task_started", "task_finished", "progress"])
    source.addEventListener(type, () => refresh());
  source.onerror = () => {
    // The browser reconnects by itself unless the stream was closed for good.
    if (source && source.readyState === EventSource.CLOSED) poll();
    else setLive("reconnecting", "polling");
  };
  source.onopen = () => setLive("live", "on");
}

// --- start ------------------------------------------------------------------
const params = new URLSearchParams(location.search);
if (params.has("apikey")) {
  setApiKey(params.get("apikey"));
  // Keep the key out of the address bar (and out of shared screenshots).
  params.delete("apikey");
  const rest = params.toString();
  history.replaceState(null, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
}
window.addEventListener("hashchange", show);
if (apiKey()) startLive();
show();
