/**
 * Browser benchmark for the dashboard pages: `npx tsx bench/pages.bench.ts [runs]`.
 *
 * Seeds a fresh PostgreSQL database (created here, dropped at the end) with one Greenhouse candidate
 * of 5,000 events (through the provider mapping, as ingest stores them) and 100,000 other candidates,
 * starts the built app (`next start`, run `npx next build` first) and drives Debian's Chromium:
 *   - candidate page: navigation start → first timeline event rendered;
 *   - candidates list: navigation start → first row visible (the browser's own clock, read in the
 *     first animation frame where a body row has a size: no polling or load-event wait counted);
 *     then "Load more" → next 50 rows.
 * Baseline, same run: the page's own API call from the same browser context (fetch of the timeline
 * or list JSON), so the ratio says what rendering adds. Not a test: no timing assertions.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
if (!existsSync(path.join(root, ".next/BUILD_ID"))) {
  console.error("no build: run `npx next build` first");
  process.exit(1);
}
const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-pages-"));
const token = "bench-admin-token-0123456789abcdef";
process.env.ADMIN_TOKEN = token;
process.env.DATA_DIR = dataDir;
process.env.LOG_LEVEL = "silent";

const RUNS = Number(process.argv[2] ?? 15);
const OTHER_CANDIDATES = 100_000;
const PORT = 3491;
const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const pg = (await import("pg")).default;
const { openDb } = await import("../lib/db/client");
const { migrateDb } = await import("../lib/db/migrate-configured");
const { greenhouseLongHistory } = await import("./lib/long-histories");
const { createBenchEndpoint, seedDeliveries } = await import("./lib/seed");

const { fmt, launchBenchBrowser, stats, timeApiCall } = await import("./lib/browser");

const dbName = `ch_bench_pages_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
const databaseUrl = url.toString();
let server: ReturnType<typeof spawn> | null = null;
let exitCode = 0;

try {
  const db = openDb({ databaseUrl, poolSize: 4 });
  await migrateDb(db);
  const started = Date.now();
  const endpoint = await createBenchEndpoint(db.prisma, "greenhouse");
  const seeded = await seedDeliveries(db, endpoint, "greenhouse", greenhouseLongHistory(5_000));
  const candidateId = [...seeded.candidateIds.values()][0];
  await db.prisma.$executeRawUnsafe(`
    INSERT INTO candidates (id, provider, external_id, name, email, current_stage, event_count, first_seen_at, last_event_at, created_at, updated_at)
    SELECT 'cand_bench_' || g, 'talview', 'bench-' || g, 'Bench Candidate ' || g, 'bench' || g || '@example.com', NULL, 1,
           now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, now(), now()
    FROM generate_series(1, ${OTHER_CANDIDATES}) g`);
  await db.prisma.$executeRawUnsafe("ANALYZE");
  await db.close();
  console.log(`seeded ${seeded.events} events for one candidate and ${OTHER_CANDIDATES} other candidates in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  server = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(PORT)], {
    cwd: root,
    detached: true,
    stdio: "ignore",
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(PORT), NEXT_TELEMETRY_DISABLED: "1" },
  });
  const base = `http://127.0.0.1:${PORT}`;
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) break;
    if (i > 120) throw new Error("the app did not start");
    await new Promise((r) => setTimeout(r, 500));
  }

  const browser = await launchBenchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const page = await context.newPage();
  const apiTime = (path: string) => timeApiCall(page, path);

  const candidatePage: number[] = [];
  const timelineApi: number[] = [];
  const listPage: number[] = [];
  const listApi: number[] = [];
  const loadMore: number[] = [];
  let listBytes = 0;
  for (let i = 0; i < RUNS + 2; i++) {
    const warm = i < 2;
    let t = performance.now();
    await page.goto(`${base}/candidates/${candidateId}`);
    await page.getByRole("article", { name: /event$/ }).first().waitFor();
    if (!warm) candidatePage.push(performance.now() - t);
    if (!warm && i === 2) {
      const nav = await page.evaluate(() => {
        const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        const api = performance.getEntriesByType("resource").filter((r) => r.name.includes("/api/")).map((r) => r as PerformanceResourceTiming).map((r) => `${new URL(r.name).pathname.split("/").slice(-1)[0]} ${r.startTime.toFixed(0)}→${r.responseEnd.toFixed(0)}`);
        return { ttfb: n.responseStart, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, api };
      });
      console.log("candidate page breakdown (ms since navigation):", JSON.stringify(nav));
    }
    const tl = await apiTime(`/api/candidates/${candidateId}/timeline?limit=50`);
    if (!warm) timelineApi.push(tl.ms);

    await page.goto(`${base}/candidates`, { waitUntil: "commit" });
    const firstRowVisible = await page.waitForFunction(
      () => {
        const row = document.querySelector("table tbody tr");
        return row && row.getBoundingClientRect().height > 0 ? performance.now() : null;
      },
      undefined,
      { polling: "raf", timeout: 30_000 },
    );
    if (!warm) listPage.push((await firstRowVisible.jsonValue()) as number);
    await page.getByRole("row").nth(1).waitFor();
    const rows = await page.getByRole("row").count();
    t = performance.now();
    await page.getByRole("button", { name: /load more/i }).click();
    await page.getByRole("row").nth(rows + 10).waitFor();
    if (!warm) loadMore.push(performance.now() - t);
    const la = await apiTime(`/api/candidates?limit=50`);
    listBytes = la.bytes;
    if (!warm) listApi.push(la.ms);
  }
  await browser.close();

  const table = [
    ["candidate page (5,000 events): first page rendered", stats(candidatePage)],
    ["  baseline: its timeline API call alone", stats(timelineApi)],
    [`candidates list (${OTHER_CANDIDATES + 1} candidates): first row visible`, stats(listPage)],
    ["  load more (next 50)", stats(loadMore)],
    ["  baseline: its list API call alone", stats(listApi)],
  ] as const;
  console.log(`\n${"".padEnd(56)}   p50    p95    max  (ms, ${RUNS} runs)`);
  for (const [name, s] of table) console.log(`${name.padEnd(56)} ${fmt(s.p50)} ${fmt(s.p95)} ${fmt(s.max)}`);
  console.log(`ratio candidate page / its API call (p50): ${(stats(candidatePage).p50 / stats(timelineApi).p50).toFixed(1)}×`);
  console.log(`candidates list, first row visible p50 ${stats(listPage).p50.toFixed(0)} ms (aim < 500 ms); ratio to its API call: ${(stats(listPage).p50 / stats(listApi).p50).toFixed(1)}×`);
  console.log(`one list page is ${listBytes} bytes of JSON for 50 of ${OTHER_CANDIDATES + 1} candidates`);
  console.log(
    JSON.stringify({
      bench: "pages",
      runs: RUNS,
      candidatePage: stats(candidatePage),
      timelineApi: stats(timelineApi),
      listPage: stats(listPage),
      loadMore: stats(loadMore),
      listApi: stats(listApi),
      listPageBytes: listBytes,
    }),
  );
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(exitCode);
}
