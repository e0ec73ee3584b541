/**
 * Database outage under load, on a private PostgreSQL server started for this test (the machine's
 * shared server on :5432 is never touched): the built app ingests signed deliveries from every registered
 * provider; the server is stopped with `pg_ctl stop -m immediate` in the middle of the load and
 * started again a few seconds later, while the same app process keeps running.
 *
 * Proves: while the database is down every webhook answer is 503 `storage_unavailable` with a
 * Retry-After header (and /api/health is 503) — never a 2xx for something not stored: after the
 * restart every delivery id the app acknowledged with a 2xx is in the database. Ingest comes back
 * by itself (a 2xx within 30 s of the restart, same process, no app restart), and the provider's
 * retries of everything that got a 503 end with exactly one non-duplicate delivery per key.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEndpoints, requireBuild, sleep, startApp, type AppServer } from "../helpers/app-server";
import { allProviders, is2xx, planDeliveries, sendAll, sendOne, type PlannedDelivery, type SendResult } from "./lib/deliveries";
import { createPrivatePostgres, type PrivatePostgres } from "./lib/private-postgres";

let server: PrivatePostgres | null = null;
let app: AppServer | null = null;
let dataDir = "";

beforeAll(async () => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), "fault-outage-"));
  server = await createPrivatePostgres();
  server.start();
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query("CREATE DATABASE app");
  await admin.end();
}, 120_000);

afterAll(async () => {
  await app?.kill();
  server?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

type Phase = "up" | "down" | "recovering";
interface Timed extends SendResult {
  phase: Phase;
  sentAt: number;
  doneAt: number;
}

describe("PostgreSQL goes down during ingest", () => {
  it("answers 503 while it is down, never acknowledges what it did not store, and recovers by itself", { timeout: 120_000 }, async () => {
    app = await startApp({ databaseUrl: server!.urlFor("app"), dataDir });
    const pid = app.pid;
    const endpoints = await createEndpoints(app, allProviders);
    const { planned } = planDeliveries(endpoints, { candidatesPerProvider: 30, seed: "outage" });

    // ---- the load: a queue; a delivery answered 503 (or not answered) goes back to the tail, as a provider retries ----
    const queue: PlannedDelivery[] = [...planned];
    const results: Timed[] = [];
    let phase: Phase = "up";
    let downAt = 0;
    let restartedAt = 0;
    let firstOkAfterRestart = 0;
    let stopLoad = false;
    const loadDeadline = Date.now() + 70_000;
    const maxRequests = 6_000;
    const worker = async () => {
      while (!stopLoad && Date.now() < loadDeadline && results.length < maxRequests) {
        const p = queue.shift();
        if (!p) {
          await sleep(20);
          continue;
        }
        const sentPhase = phase;
        const sentAt = Date.now();
        const r = await sendOne(app!.url, p, 15_000);
        results.push({ ...r, phase: sentPhase, sentAt, doneAt: Date.now() });
        if (!is2xx(r.httpStatus)) queue.push(p);
        else if (phase === "recovering" && !firstOkAfterRestart && sentAt >= restartedAt) firstOkAfterRestart = Date.now();
        // Pace the load so the outage phase (fast 503s) stays bounded in request count.
        await sleep(phase === "up" ? 0 : 25);
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, worker));

    const okCount = () => results.filter((r) => is2xx(r.httpStatus)).length;
    for (let i = 0; i < 200 && okCount() < 60; i++) await sleep(50);
    expect(okCount()).toBeGreaterThanOrEqual(60);

    // ---- outage ----
    server!.stopImmediate();
    downAt = Date.now();
    phase = "down";
    await sleep(1_000);
    const healthDown = await fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(10_000) });
    await healthDown.text();
    await sleep(3_000);

    // ---- the database comes back; the app is not restarted ----
    server!.start();
    restartedAt = Date.now();
    phase = "recovering";
    for (let i = 0; i < 300 && !firstOkAfterRestart; i++) await sleep(100);
    const recoveryMs = firstOkAfterRestart ? firstOkAfterRestart - restartedAt : null;
    // A little more load after recovery, then stop.
    await sleep(2_000);
    stopLoad = true;
    await load;

    expect(healthDown.status).toBe(503);
    expect(recoveryMs, "no 2xx within 30 s after the database came back").not.toBeNull();
    expect(recoveryMs!).toBeLessThan(30_000);
    expect(app.exited()).toBe(false);
    expect(app.pid).toBe(pid);
    const healthUp = await fetch(`${app.url}/api/health`);
    expect(healthUp.status).toBe(200);

    // Every answer is a 2xx or a 503; the server never dropped a connection.
    const odd = results.filter((r) => !is2xx(r.httpStatus) && r.httpStatus !== 503);
    expect(odd.map((r) => `${r.phase} ${r.httpStatus} ${r.error ?? JSON.stringify(r.body).slice(0, 200)}`)).toEqual([]);
    // Requests sent and answered entirely while the server was down: all 503 storage_unavailable + Retry-After.
    const whileDown = results.filter((r) => r.sentAt > downAt + 200 && r.doneAt < restartedAt);
    expect(whileDown.length).toBeGreaterThan(20);
    expect(whileDown.filter((r) => r.httpStatus !== 503).map((r) => `${r.httpStatus} ${JSON.stringify(r.body)}`)).toEqual([]);
    expect(whileDown.filter((r) => r.body?.error !== "storage_unavailable")).toEqual([]);
    const again = await sendOne(app.url, planned[0]); // a live answer now is a 2xx (duplicate or stored)
    expect(is2xx(again.httpStatus)).toBe(true);

    // ---- drain: the provider retries what is still queued (got 503s) until it is stored ----
    const retries = await sendAll(app.url, [...new Set(queue)], { concurrency: 4, timeoutMs: 15_000 });
    expect(retries.filter((r) => !is2xx(r.httpStatus)).map((r) => `${r.httpStatus} ${r.error}`)).toEqual([]);
    const attempted = new Map<string, PlannedDelivery>();
    for (const r of [...results, ...retries]) attempted.set(r.planned.deliveryId, r.planned);

    // ---- what is in the database ----
    const client = new pg.Client({ connectionString: server!.urlFor("app") });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; endpoint_id: string; idempotency_key: string; status: string }>(
        "SELECT id, endpoint_id, idempotency_key, status FROM deliveries",
      );
      const ids = new Set(rows.map((r) => r.id));
      const acked = [...results, ...retries].filter((r) => is2xx(r.httpStatus));
      const missing = acked.filter((r) => !r.deliveryId || !ids.has(r.deliveryId));
      expect(missing.map((r) => `${"phase" in r ? r.phase : "retry"} ${r.httpStatus} ${JSON.stringify(r.body)}`), "2xx answers without a stored row").toEqual([]);
      // Exactly one non-duplicate delivery per key that was ever sent.
      const originals = new Map<string, number>();
      for (const r of rows) if (r.status !== "duplicate") originals.set(`${r.endpoint_id} ${r.idempotency_key}`, (originals.get(`${r.endpoint_id} ${r.idempotency_key}`) ?? 0) + 1);
      const wrong = [...attempted.values()].filter((p) => originals.get(`${p.endpointId} ${p.idempotencyKey}`) !== 1);
      expect(wrong.map((p) => `${p.deliveryId}: ${originals.get(`${p.endpointId} ${p.idempotencyKey}`) ?? 0}`)).toEqual([]);
      // 503s whose transaction committed anyway (the commit's answer was lost with the server): they
      // later answered `duplicate`, so nothing is doubled; reported, not an error.
      const stored503 = results.filter((r) => r.httpStatus === 503 && r.phase !== "down").length;
      const statusCounts = rows.reduce<Record<string, number>>((acc, r) => ((acc[r.status] = (acc[r.status] ?? 0) + 1), acc), {});
      console.log(
        `[db-outage] ${results.length} requests during the run (${results.filter((r) => is2xx(r.httpStatus)).length} 2xx, ` +
          `${results.filter((r) => r.httpStatus === 503).length} 503, ${whileDown.length} entirely while down), ${retries.length} retries after; ` +
          `first 2xx ${recoveryMs} ms after the database came back; 503s for requests sent before the stop ${stored503}; ` +
          `stored ${rows.length} deliveries ${JSON.stringify(statusCounts)} for ${attempted.size} keys`,
      );
    } finally {
      await client.end();
    }
  });
});
