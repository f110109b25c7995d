// Settings: every key of GET /api/settings, grouped, with PUT /api/settings'
// validation messages (a 400 names each bad key; nothing is changed then).
import { get, put, el, toast, rerender } from "./api.js";

// Labels as the seed's screens name them; other keys show their key.
const LABELS = {
  "library.auto_queue_downloads": "Automatically download liked tracks",
  "library.image_download_concurrency": "Images downloaded at once",
  "library.metadata_profile": "Release types that count for a discography",
  "library.new_release_days": "New releases: days back before the first run",
};

const GROUPS = [
  ["library.", "Library → Automation"],
  ["tasks.", "Library → Tasks"],
  ["playlists.", "Playlists"],
  ["providers.", "Providers"],
];

const idOf = (key) => "setting-" + key.replace(/[^a-z0-9_]/gi, "-");

/// The input of one setting (its type decides the control).
function input(s) {
  const id = idOf(s.key);
  let input;
  if (s.type === "boolean") {
    input = el("input", { type: "checkbox", id, name: s.key, checked: s.value === true });
  } else if (s.type === "integer") {
    input = el("input", { type: "number", id, name: s.key, value: s.value, min: s.min, max: s.max, step: 1 });
  } else if (s.type === "choice") {
    input = el("select", { id, name: s.key },
      (s.choices || []).map((c) => el("option", { value: c, selected: c === s.value }, c)));
  } else if (s.type === "secret") {
    // Write-only: the service says only "set" or "unset"; an empty field
    // sends nothing, a typed value replaces the stored one.
    input = el("input", { type: "password", id, name: s.key, value: "", autocomplete: "off",
                          placeholder: s.value === "set" ? "set (type to replace)" : "unset" });
  } else if (s.type === "profile") {
    // {"primary_types": [...], "secondary_types": [...]} edited as JSON text
    input = el("input", { type: "text", id, name: s.key, value: JSON.stringify(s.value), size: 60 });
  } else {
    input = el("input", { type: "text", id, name: s.key, value: s.value ?? "" });
  }
  input.dataset.type = s.type;
  input.dataset.original = JSON.stringify(s.type === "secret" ? "" : s.value);
  input.title = `${s.description} (${s.key}, default ${JSON.stringify(s.default)})`;
  return input;
}

/// The tasks' keys as one table: a row per task, enabled and interval.
function taskTable(items) {
  const byTask = new Map();
  for (const s of items) {
    const [, task, what] = s.key.split(".");
    if (!byTask.has(task)) byTask.set(task, {});
    byTask.get(task)[what] = s;
  }
  const cell = (s) => s ? el("td", { class: "setting", "data-key": s.key },
    input(s), s.type === "integer" ? el("small", {}, ` s (${s.min}–${s.max})`) : "",
    el("p", { class: "error field-error" })) : el("td", {});
  return el("table", { class: "task-settings" },
    el("thead", {}, el("tr", {}, el("th", {}, "Task"), el("th", {}, "Runs on schedule"), el("th", {}, "Interval"))),
    el("tbody", {}, [...byTask].map(([task, f]) =>
      el("tr", {}, el("td", {}, task), cell(f.enabled), cell(f.interval_seconds)))));
}

function field(s) {
  const id = idOf(s.key);
  const control = input(s);
  const label = LABELS[s.key] || s.key;
  const range = s.type === "integer" ? ` (${s.min}–${s.max})` : "";
  return el("div", { class: "setting", "data-key": s.key },
    s.type === "boolean"
      ? el("label", { for: id }, control, " ", el("strong", {}, label))
      : el("label", { for: id }, el("strong", {}, label), range, " ", control),
    el("p", { class: "help" }, s.description, el("small", {}, ` · ${s.key}, default ${JSON.stringify(s.default)}`)),
    s.warning ? el("p", { class: "warning" }, `⚠️ ${s.warning}`) : "",
    el("p", { class: "error field-error" }));
}

function valueOf(input) {
  if (input.dataset.type === "boolean") return input.checked;
  if (input.dataset.type === "integer") return input.value === "" ? input.value : Number(input.value);
  if (input.dataset.type === "profile") {
    try { return JSON.parse(input.value); } catch { return input.value; }
  }
  return input.value;
}

async function save(form) {
  const changes = {};
  for (const input of form.querySelectorAll("[name]")) {
    const v = valueOf(input);
    if (JSON.stringify(v) !== input.dataset.original) changes[input.name] = v;
  }
  const out = form.querySelector("#settings-error");
  for (const e of form.querySelectorAll(".field-error")) e.textContent = "";
  if (!Object.keys(changes).length) return toast("Nothing changed");
  try {
    await put("/api/settings", changes);
  } catch (e) {
    out.textContent = e.message;
    // The message names each bad key: show it under that setting too.
    for (const key of Object.keys(changes))
      if (e.message.includes(key)) {
        const f = form.querySelector(`.setting[data-key="${CSS.escape(key)}"] .field-error`);
        if (f) f.textContent = e.message.split(/;\s*/).filter((m) => m.includes(key)).join("; ");
      }
    return;
  }
  toast(`Saved ${Object.keys(changes).join(", ")}`);
  rerender();
}

export async function render() {
  const { settings } = await get("/api/settings");
  const list = settings || [];
  const form = el("form", { id: "settings", novalidate: true, onsubmit: (ev) => { ev.preventDefault(); save(ev.target); } });
  for (const [prefix, title] of GROUPS) {
    const items = list.filter((s) => s.key.startsWith(prefix));
    if (!items.length) continue;
    const body = prefix === "tasks." ? taskTable(items) : items.map(field);
    form.append(el("fieldset", {}, el("legend", {}, title), body));
  }
  const rest = list.filter((s) => !GROUPS.some(([p]) => s.key.startsWith(p)));
  if (rest.length) form.append(el("fieldset", {}, el("legend", {}, "Other"), rest.map(field)));
  form.append(el("p", { id: "settings-error", class: "error" }),
    el("p", { class: "buttons" },
      el("button", { type: "submit", id: "save-settings" }, "Save"),
      el("button", { type: "button", onclick: () => rerender() }, "Discard changes")));
  return el("section", {}, el("h1", {}, "Settings"), form);
}
