// What every page uses: the API key, calls to the REST API, small DOM and
// formatting helpers. No framework.

const KEY = "discotheque.apikey";

export function apiKey() {
  return localStorage.getItem(KEY) || "";
}

export function setApiKey(key) {
  if (key) localStorage.setItem(KEY, key);
  else localStorage.removeItem(KEY);
}

/// Thrown for every answer that is not 2xx; `status` and the API's
/// `{"error", "message"}` are kept.
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

let onUnauthorized = () => {};
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

/// One API call with the key; JSON in, JSON out.
export async function api(method, path, body) {
  const headers = { "X-Api-Key": apiKey() };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { message: text };
  }
  if (res.status === 401) onUnauthorized(json);
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

export const get = (path) => api("GET", path);
export const post = (path, body) => api("POST", path, body);
export const put = (path, body) => api("PUT", path, body);

/// A URL for an <img> (which cannot send headers): the key as ?apikey=.
export function imageUrl(kind, id) {
  return `/api/library/${kind}/${id}/image?apikey=${encodeURIComponent(apiKey())}`;
}

/// el("td", {class: "x", onclick: fn}, "text", child...)
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "class") e.className = v;
    else if (v === true) e.setAttribute(k, "");
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function table(headers, rows, attrs = {}) {
  return el("table", attrs,
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows));
}

let toastTimer = null;
export function toast(text, isError = false) {
  const t = document.getElementById("toast");
  t.textContent = text;
  t.className = "toast shown" + (isError ? " error" : "");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.className = "toast"), 4000);
}

/// Runs an action; a toast says how it went; `then` refreshes the page.
export async function act(label, fn, then) {
  try {
    const r = await fn();
    toast(`${label}: done` + (r && r.changed !== undefined ? ` (${r.changed} changed)` : ""));
  } catch (e) {
    toast(`${label}: ${e.message}`, true);
  }
  if (then) await then();
}

export function ago(iso) {
  if (!iso) return "never";
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  return relative(s) + " ago";
}

export function inFuture(iso) {
  if (!iso) return "–";
  const s = Math.round((Date.parse(iso) - Date.now()) / 1000);
  return s <= 0 ? "due" : "in " + relative(s);
}

function relative(s) {
  s = Math.abs(s);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

export function duration(ms) {
  if (ms === null || ms === undefined) return "–";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

/// {"a": 1, "b": {"c": 2}} as "a 1 · b.c 2".
export function counters(obj, prefix = "") {
  if (!obj || typeof obj !== "object") return obj === null || obj === undefined ? "" : String(obj);
  const parts = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === "object") parts.push(counters(v, prefix + k + "."));
    else parts.push(`${prefix}${k} ${v}`);
  }
  return parts.filter(Boolean).join(" · ");
}

export function badge(state) {
  return el("span", { class: `badge ${state || "none"}` }, state || "–");
}

let rerenderFn = async () => {};
/// app.js sets how the current page is drawn again.
export function setRerender(fn) {
  rerenderFn = fn;
}
/// Draws the current page again (after an action, at a live event).
export function rerender() {
  return rerenderFn();
}
