// Health and providers: the service's verdict and problems, each provider's
// state, circuit breaker, last success, errors in 24 h, blocked-until.
import { get, el, table, ago, counters, badge } from "./api.js";

export const live = true;

function provider(p) {
  const auth = p.authenticated === null ? "–" : p.authenticated ? "yes" : "no";
  return el("tr", { "data-provider": p.name },
    el("td", {}, el("strong", {}, p.name), el("small", {}, ` ${p.kind}`)),
    el("td", {}, p.enabled ? "enabled" : "off"),
    el("td", {}, auth),
    el("td", {}, badge(p.circuit_breaker)),
    el("td", { title: p.last_successful_call || "" }, ago(p.last_successful_call)),
    el("td", {}, String(p.errors_24h ?? 0)),
    el("td", {}, p.blocked_until ? `until ${p.blocked_until}` : "–"),
    el("td", { class: "error" }, p.last_error || ""));
}

/// The Soulseek search budget as the download worker last saw it: the
/// running run's progress, else the last run's stats.
function budget(task) {
  const s = (task && ((task.running && task.progress) || task.stats)) || {};
  if (s.search_budget === undefined)
    return el("p", { id: "search-budget" }, "Soulseek search budget: no download run yet.");
  const window = s.search_window_s ? ` in the last ${s.search_window_s} s` : " in the window";
  return el("p", { id: "search-budget" },
    `Soulseek search budget: ${s.searches_in_window ?? 0} of ${s.search_budget} searches${window}`,
    task.running ? " (running now)" : task.last_run ? ` (when the last run ended, ${ago(task.last_run)})` : "");
}

export async function render() {
  const [status, verdict, downloads] = await Promise.all([get("/api/library/status"),
    get("/api/health"), get("/api/library/tasks/download_queue").catch(() => null)]);
  const problems = (verdict.problems || []).map((p) =>
    el("li", {}, typeof p === "string" ? p : counters(p)));
  const totals = status.totals || {};
  return el("section", {},
    el("h1", {}, "Health and providers"),
    el("p", { id: "health-state" }, "Service: ", badge(verdict.status || verdict.state),
      ` · version ${verdict.version || "?"} · up ${Math.round((status.uptime_seconds || 0) / 60)} min`,
      verdict.last_check ? ` · last check ${ago(verdict.last_check.finished_at || verdict.last_check)}` : ""),
    problems.length ? el("ul", { class: "problems" }, problems) : el("p", {}, "No problems."),
    el("h2", {}, "Providers"),
    table(["Provider", "State", "Signed in", "Circuit breaker", "Last success", "Errors (24 h)", "Blocked", "Last error"],
      (status.providers || []).map(provider), { id: "providers" }),
    budget(downloads),
    el("h2", {}, "Library"),
    el("p", {}, `${totals.artists ?? 0} artists (${totals.owned_artists ?? 0} owned) · ` +
      `${totals.albums ?? 0} albums (${totals.owned_albums ?? 0} owned) · ` +
      `${totals.tracks ?? 0} tracks (${totals.owned_tracks ?? 0} owned) · ` +
      `${totals.pending_downloads ?? 0} pending downloads · ${totals.playlists ?? 0} playlists`));
}
