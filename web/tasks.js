// System → Tasks: the seed's table with Run Now, a cycle, the last cycle.
import { get, post, el, table, act, ago, inFuture, duration, counters, badge, rerender } from "./api.js";

export const live = true;

/// Did a successful run still report trouble (the seed's "Degraded"): a
/// health state other than healthy, listed errors, failed items?
function troubled(stats) {
  if (!stats || typeof stats !== "object") return false;
  if (stats.state === "degraded" || stats.state === "error") return true;
  const n = (v) => (Array.isArray(v) ? v.length : typeof v === "number" ? v : 0);
  return n(stats.errors) > 0 || n(stats.failed) > 0;
}

/// The status column: running, failed, degraded, skipped, succeeded, never
/// run, disabled, not implemented.
function statusOf(t) {
  if (t.running) return "running";
  if (!t.implemented) return "not_implemented";
  if (!t.last_status) return t.enabled ? "never_run" : "disabled";
  if (t.last_status === "succeeded" && troubled(t.stats)) return "degraded";
  return t.last_status;
}

/// The stats in one short line: top-level numbers and flags, lists as their
/// length; the whole JSON in the tooltip.
function statsLine(stats) {
  if (!stats || typeof stats !== "object") return el("small", {}, "");
  const parts = [];
  for (const [k, v] of Object.entries(stats)) {
    if (Array.isArray(v)) { if (v.length) parts.push(`${k} ${v.length}`); }
    else if (typeof v === "number" || typeof v === "boolean") parts.push(`${k} ${v}`);
    else if (typeof v === "string" && v.length < 24 && !/^\d{4}-/.test(v)) parts.push(`${k} ${v}`);
  }
  return el("small", { title: JSON.stringify(stats, null, 1) }, parts.slice(0, 10).join(" · "));
}

/// A progress bar from the run's counters: determinate when they carry a
/// total (`done`/`total`, `*_done`/`*_total`), else moving, with the counters.
export function progressBar(progress) {
  const p = progress || {};
  let done = null;
  let total = null;
  for (const [k, v] of Object.entries(p)) {
    if (typeof v !== "number") continue;
    if (k === "total" || k.endsWith("_total")) total = v;
    if (k === "done" || k.endsWith("_done") || k === "processed") done = v;
  }
  const bar = el("progress", { class: "task-progress" });
  if (done !== null && total) {
    bar.max = total;
    bar.value = done;
  }
  return el("div", { class: "progress" }, bar, el("small", {}, counters(p) || "starting"));
}

function row(t) {
  const status = statusOf(t);
  const run = el("button", {
    type: "button",
    "data-run": t.name,
    disabled: t.running || !t.implemented,
    onclick: () => act(`Run ${t.name}`, () => post(`/api/library/tasks/${t.name}/run`), rerender),
  }, "Run Now");
  return el("tr", { "data-task": t.name, "data-status": status },
    el("td", {}, el("strong", {}, t.name), t.enabled ? "" : el("small", {}, " (disabled)")),
    el("td", { class: "last-run", title: t.last_run || "" }, ago(t.last_run)),
    el("td", { title: t.next_run || "" }, t.running ? "running" : inFuture(t.next_run)),
    el("td", { class: "status" }, badge(status),
       t.last_skip_reason && t.last_skip_reason !== status ? el("small", {}, ` ${t.last_skip_reason}`) : "",
       t.last_error ? el("div", { class: "error" }, t.last_error) : ""),
    el("td", {}, duration(t.last_duration_ms)),
    el("td", { class: "stats" }, t.running ? progressBar(t.progress) : statsLine(t.stats)),
    el("td", {}, run));
}

function lastCycle(c) {
  if (!c) return el("p", {}, "No cycle has run yet.");
  const list = (title, items, fn) =>
    el("div", { class: "cycle-part" }, el("h3", {}, `${title} (${items.length})`),
      el("ul", {}, items.map((i) => el("li", {}, fn(i)))));
  return el("section", { class: "cycle", id: "last-cycle" },
    el("h2", {}, `Last cycle (${c.trigger}, ${ago(c.finished_at)}, ${duration(c.duration_ms)})`),
    el("div", { class: "cycle-parts" },
      list("Completed", c.completed || [], (i) => `${i.task} · ${duration(i.duration_ms)}`),
      list("Skipped", c.skipped || [], (i) => `${i.task}: ${i.reason}`),
      list("Failed", c.failed || [], (i) => el("span", {}, `${i.task}: `, el("span", { class: "error" }, i.error)))));
}

export async function render() {
  // The status carries the tasks and the last cycle in one answer.
  const s = await get("/api/library/status");
  const cycle = el("button", {
    type: "button",
    id: "run-cycle",
    disabled: s.cycle_running,
    onclick: () => act("Cycle", () => post("/api/library/cycle"), rerender),
  }, s.cycle_running ? "Cycle running…" : "Run a cycle now");
  return el("section", {},
    el("h1", {}, "System → Tasks"),
    el("p", {}, "A cycle runs every task that is due, in dependency order. ", cycle),
    table(["Task", "Last run", "Next run", "Status", "Duration", "Stats", ""],
      s.tasks.map(row), { id: "tasks" }),
    lastCycle(s.last_cycle));
}
