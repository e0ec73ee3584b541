/**
 * Browser benchmark for bounded renders: `npx tsx bench/bounded-renders.bench.ts [runs]` (needs the
 * build). The probes of e2e/bounded-renders.browser.spec.ts, with their figures printed: the built app
 * as `npm start` serves it (embedded PGlite in a temporary DATA_DIR), Talview deliveries through the
 * real webhook URL, Debian's Chromium:
 *   - a candidate whose update (~880 KB) changes 60,000 keys: the candidate page's HTML size, and
 *     navigation → usable (newest event and its "Show all" button on screen and hydrated);
 *   - a body nested 5,000 levels: click in the delivery log → its panel shows the body.
 * Baseline, same run: each view's own API call from the same browser (what rendering adds to it).
 * Aims (issue 14): HTML < 2 MB, usable < 2 s, panel < 1 s. Not a test: no timing assertions.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fmt, launchBenchBrowser, stats, timeApiCall } from "./lib/browser";
import { openDeliveryPanel, openWideCandidate, sendTalview, talviewCreated, talviewDeepBody, talviewWideUpdate } from "../e2e/hostile-renders";

const root = path.resolve(import.meta.dirname, "..");
if (!existsSync(path.join(root, ".next/BUILD_ID"))) {
  console.error("no build: run `npx next build` first");
  process.exit(1);
}
const RUNS = Number(process.argv[2] ?? 10);
const PORT = 3493;
const token = "bench-admin-token-0123456789abcdef";
const auth = { authorization: `Bearer ${token}` };
const base = `http://127.0.0.1:${PORT}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-bounded-renders-"));


const server = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/start.ts")], {
  cwd: root,
  detached: true,
  stdio: "ignore",
  env: { ...process.env, PORT: String(PORT), DATA_DIR: dataDir, ADMIN_TOKEN: token, DATABASE_URL: "", LOG_LEVEL: "silent", NEXT_TELEMETRY_DISABLED: "1" },
});
let exitCode = 0;

try {
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) break;
    if (i > 240) throw new Error("the app did not start");
    await new Promise((r) => setTimeout(r, 500));
  }
  const endpoint = (await (await fetch(`${base}/api/endpoints`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ provider: "talview", name: "bounded renders bench" }),
  })).json()) as { id: string };

  const wideId = 4242;
  const update = talviewWideUpdate(wideId);
  await sendTalview(base, endpoint.id, "can.candidate.created", talviewCreated(wideId));
  let started = performance.now();
  const wide = await sendTalview(base, endpoint.id, "can.candidate.updated", update);
  console.log(`60,000-key update: ${update.length} bytes, answered ${wide.httpStatus} ${wide.status} in ${(performance.now() - started).toFixed(0)} ms`);
  const deep = talviewDeepBody(4343);
  const deepSent = await sendTalview(base, endpoint.id, "can.candidate.created", deep);
  console.log(`5,000-level body: ${deep.length} bytes, answered ${deepSent.httpStatus} ${deepSent.status}`);

  let candidateId = "";
  for (let i = 0; !candidateId; i++) {
    const list = (await (await fetch(`${base}/api/candidates?provider=talview&q=${wideId}`, { headers: auth })).json()) as {
      candidates: { id: string; externalId: string; eventCount: number }[];
    };
    candidateId = list.candidates.find((c) => c.externalId === String(wideId) && c.eventCount === 2)?.id ?? "";
    if (i > 120) throw new Error("the wide update was not processed");
    if (!candidateId) await new Promise((r) => setTimeout(r, 500));
  }

  const html = await (await fetch(`${base}/candidates/${candidateId}`, { headers: auth })).arrayBuffer();

  const browser = await launchBenchBrowser();
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 }, extraHTTPHeaders: auth });
  const page = await context.newPage();
  const apiTime = (p: string) => timeApiCall(page, p);

  const usable: number[] = [];
  const timelineApi: number[] = [];
  const panel: number[] = [];
  const deliveryApi: number[] = [];
  let timelineBytes = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    const warm = i === 0;
    const { usableMs } = await openWideCandidate(page, candidateId);
    const tl = await apiTime(`/api/candidates/${candidateId}/timeline?limit=50`);
    timelineBytes = tl.bytes;
    const { panelMs } = await openDeliveryPanel(page, endpoint.id, deepSent.deliveryId, /… \d+ levels deeper/);
    const dl = await apiTime(`/api/deliveries/${deepSent.deliveryId}`);
    if (warm) continue;
    usable.push(usableMs);
    timelineApi.push(tl.ms);
    panel.push(panelMs);
    deliveryApi.push(dl.ms);
  }
  await browser.close();

  console.log(`\ncandidate page HTML: ${html.byteLength} bytes (aim < ${2 * 1024 * 1024}); its first timeline page: ${timelineBytes} bytes of JSON`);
  const table = [
    ["candidate page (60,000-key update): navigation → usable", stats(usable)],
    ["  baseline: its timeline API call alone", stats(timelineApi)],
    ["delivery panel (5,000 levels): click → body shown", stats(panel)],
    ["  baseline: its delivery API call alone", stats(deliveryApi)],
  ] as const;
  console.log(`\n${"".padEnd(58)}   p50    p95    max  (ms, ${RUNS} runs)`);
  for (const [name, s] of table) console.log(`${name.padEnd(58)} ${fmt(s.p50)} ${fmt(s.p95)} ${fmt(s.max)}`);
  console.log(
    JSON.stringify({
      bench: "bounded-renders",
      runs: RUNS,
      candidateHtmlBytes: html.byteLength,
      timelinePageBytes: timelineBytes,
      candidateUsable: stats(usable),
      timelineApi: stats(timelineApi),
      deliveryPanel: stats(panel),
      deliveryApi: stats(deliveryApi),
    }),
  );
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  if (server.pid) {
    try {
      process.kill(-server.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(exitCode);
}
