// Drives the web dashboard in Debian's headless Chromium (playwright-core,
// no browser download). Started by test_dashboard.py, which runs the real
// binary and seeds it; this script only uses the page (and the API to check
// what the page stored). Env: BASE, KEY, OUT, CHROMIUM, PLAYLIST_ID,
// ARTIST_ID, ARTIST_NAME. Exits non-zero at the first failed step.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const BASE = env("BASE");
const KEY = env("KEY");
const OUT = env("OUT");
mkdirSync(OUT, { recursive: true });

async function api(path) {
  const res = await fetch(BASE + path, { headers: { "X-Api-Key": KEY } });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
}

async function until(fn, what, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const steps = [];
function step(name, fn) {
  steps.push([name, fn]);
}

let page;
const errors = [];

async function shot(name) {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

step("a wrong key is refused, the right one logs in and shows the tasks table", async () => {
  await page.goto(BASE + "/");
  await page.locator("#login").waitFor({ state: "visible" });
  await page.fill("#login-key", "wrong-key");
  await page.click("#login button[type=submit]");
  await page.locator("#login-error", { hasText: "wrong" }).waitFor();
  await page.fill("#login-key", KEY);
  await page.click("#login button[type=submit]");
  await page.locator("#login").waitFor({ state: "hidden" });
  await page.locator("#tasks tr[data-task=health_check]").waitFor();
  const rows = await page.locator("#tasks tbody tr").count();
  const tasks = (await api("/api/library/tasks")).tasks.length;
  check(rows === tasks, `${rows} rows for ${tasks} tasks`);
  const stored = await page.evaluate(() => localStorage.getItem("discotheque.apikey"));
  check(stored === KEY, "the key is kept in localStorage");
});

step("Run Now on health_check and the run appears", async () => {
  const idle = async () => !(await api("/api/library/tasks/health_check")).running;
  await until(idle, "health_check idle");
  const before = (await api("/api/library/tasks/health_check")).last_run;
  const row = page.locator("#tasks tr[data-task=health_check]");
  await row.locator("button[data-run=health_check]").click();
  await page.locator("#toast", { hasText: "Run health_check: done" }).waitFor();
  // The page updates itself (event stream or polling): no reload.
  await until(async () => {
    const title = await row.locator("td.last-run").getAttribute("title");
    const status = await row.getAttribute("data-status");
    return title && title !== before && (status === "succeeded" || status === "degraded");
  }, "the new health_check run in the table");
  await shot("tasks");
});

step("a ?apikey= bookmark logs in directly and leaves the address bar clean", async () => {
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${BASE}/?apikey=${encodeURIComponent(KEY)}#/health`);
  await page.locator("#providers").waitFor();
  check(!page.url().includes("apikey"), `address bar ${page.url()}`);
  await page.locator("#providers tr[data-provider=spotify]").waitFor();
  // slskd is off here: the download worker has not searched yet.
  const budget = await page.locator("#search-budget").innerText();
  check(budget.startsWith("Soulseek search budget"), budget);
  await shot("health");
});

step("toggle auto-queue (with the bandwidth warning) and it is stored", async () => {
  await page.goto(BASE + "/#/settings");
  const box = page.locator("#setting-library-auto_queue_downloads");
  await box.waitFor();
  const setting = page.locator('.setting[data-key="library.auto_queue_downloads"]');
  const text = await setting.innerText();
  check(text.includes("Automatically download liked tracks"), text);
  check(text.includes("significant bandwidth"), text);
  check(!(await box.isChecked()), "auto-queue starts off");
  await box.check();
  await page.click("#save-settings");
  await page.locator("#toast", { hasText: "Saved library.auto_queue_downloads" }).waitFor();
  const stored = (await api("/api/settings")).settings.find((s) => s.key === "library.auto_queue_downloads");
  check(stored.value === true, `stored ${JSON.stringify(stored)}`);
  await page.locator("#setting-library-auto_queue_downloads:checked").waitFor();
  // A wrong value: the service's message, under the setting; nothing stored.
  await page.fill("#setting-library-image_download_concurrency", "0");
  await page.click("#save-settings");
  await page.locator("#settings-error", { hasText: "library.image_download_concurrency" }).waitFor();
  await page.locator('.setting[data-key="library.image_download_concurrency"] .field-error',
    { hasText: "image_download_concurrency" }).waitFor();
  const conc = (await api("/api/settings")).settings.find((s) => s.key === "library.image_download_concurrency");
  check(conc.value === 5, `concurrency unchanged: ${JSON.stringify(conc)}`);
  await shot("settings");
});

step("change the playlist's sync mode", async () => {
  const id = env("PLAYLIST_ID");
  await page.goto(BASE + "/#/playlists");
  await page.locator(`#playlists tr[data-id="${id}"] a`).click();
  await page.locator("#playlist-tracks tbody tr").first().waitFor();
  await page.locator("#own-all").waitFor();
  await page.locator("#download-owned").waitFor();
  await page.check('#sync-mode input[value="auto_own_tracks"]');
  await page.locator("#toast", { hasText: "Sync mode: Auto-Own Tracks" }).waitFor();
  const p = await api(`/api/library/playlists/${id}`);
  check(p.sync_mode === "auto_own_tracks", `sync_mode ${p.sync_mode}`);
  await page.locator('#sync-mode input[value="auto_own_tracks"]:checked').waitFor();
  await shot("playlist");
});

step("own and then ignore an artist in the library", async () => {
  const id = env("ARTIST_ID");
  const name = env("ARTIST_NAME");
  await page.goto(BASE + "/#/library");
  await page.fill(".filters input[name=q]", name);
  await page.click(".filters button[type=submit]");
  const row = page.locator(`#library tr[data-id="${id}"]`);
  await row.waitFor();
  check((await page.locator("#library tbody tr").count()) >= 1, "search finds the artist");
  await row.locator("button[data-action=own]").click();
  await row.locator(".badge.owned").waitFor();
  check((await api(`/api/library/artists/${id}`)).ownership_state === "owned", "owned in the API");
  await row.locator("button[data-action=ignore]").click();
  await row.locator(".badge.ignored").waitFor();
  check((await api(`/api/library/artists/${id}`)).ownership_state === "ignored", "ignored in the API");
  await row.locator("button[data-action=unignore]").waitFor();
  await shot("library");
  // Down to the artist's albums.
  await row.locator("a").click();
  await page.locator("#library-detail").waitFor();
  await shot("library-artist");
});

step("download an owned track and it waits under Wanted and downloads", async () => {
  await page.goto(BASE + "/#/library");
  await page.click("button.tab:text-is('Tracks')");
  // The tracks' table is drawn (a form filled before would be redrawn).
  await page.locator("#library th:text-is('Track')").waitFor();
  // The filters are kept between visits: clear the last search.
  await page.fill(".filters input[name=q]", "");
  await page.click(".filters button[type=submit]");
  await page.selectOption(".filters select[name=ownership_state]", "owned");
  const first = page.locator("#library tbody tr").first();
  await first.locator(".badge.owned").waitFor();
  const id = await first.getAttribute("data-id");
  await first.locator("button[data-action=download]").click();
  await page.locator(`#library tr[data-id="${id}"] .badge.pending`).waitFor();
  check((await api(`/api/library/tracks/${id}`)).download_state === "pending", "pending in the API");
  await page.goto(BASE + "/#/downloads");
  await page.locator(`#downloads tr[data-id="${id}"][data-state=pending]`).waitFor();
  await shot("downloads");
});

step("with an event stream the page listens to it instead of polling", async () => {
  // The service streams events at /api/system/events once the ops work is
  // in; here the browser answers that URL itself with two events.
  const events = 'event: task_started\ndata: {"task":"health_check"}\n\n'
    + 'event: task_finished\ndata: {"task":"health_check","status":"succeeded"}\n\n';
  await page.route("**/api/system/events*", (route) => route.fulfill({
    status: 200, contentType: "text/event-stream", headers: { "Cache-Control": "no-cache" }, body: events,
  }));
  let reads = 0;
  const count = (req) => { if (req.url().includes("/api/library/status")) reads++; };
  page.on("request", count);
  await page.goto(`${BASE}/?apikey=${encodeURIComponent(KEY)}#/tasks`);
  await page.locator("#tasks").waitFor();
  await until(async () => /live|reconnecting/.test(await page.locator("#live").innerText()), "the live badge");
  // The first draw, then one per event at least.
  await until(async () => reads >= 3, `redraws at the events (${reads} reads)`);
  page.off("request", count);
  await page.unroute("**/api/system/events*");
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // Root in a container has no user namespaces for Chromium's sandbox.
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
let failed = 0;
let passed = 0;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(20000);
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/404|Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  for (const [name, fn] of steps) {
    const start = Date.now();
    try {
      await fn();
      passed++;
      console.log(`PASS ${name} (${((Date.now() - start) / 1000).toFixed(1)}s)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e.stack || e}`);
      await shot(`failed-${steps.findIndex((s) => s[0] === name)}`).catch(() => {});
      break;
    }
  }
  if (errors.length) {
    failed++;
    console.log("FAIL the page reported errors:\n" + errors.join("\n"));
  }
} finally {
  await browser.close();
}
console.log(`${passed} of ${steps.length} steps passed`);
process.exit(failed ? 1 : 0);
