/**
 * Probe: memory and connection exhaustion through the public webhook route (issue 14, item 1),
 * against the built app as `npm start` serves it, with its default limits.
 *
 * 300 connections each declare a 1 MiB body, send 1 MiB − 1 bytes and stall: half to an endpoint
 * that does not exist, half to a real one. Aims: the server grows by < 100 MB, /api/health keeps
 * answering in < 500 ms, a normal delivery is still accepted, every stalled connection is cut
 * within 60 s, and the broken connections do not write a log line each.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { adminFetch, requireBuild, sleep, startApp, type AppServer } from "../helpers/app-server";
import { idibuDelivery, probe, stallUpload, type StalledUpload } from "./lib/http";

const MiB = 1024 * 1024;
let app: AppServer;
let dataDir = "";
let endpointId = "";

beforeAll(async () => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), "security-flood-"));
  app = await startApp({ dataDir, env: { LOG_LEVEL: "info" } });
  const created = await adminFetch(app, "/api/endpoints", { method: "POST", body: { provider: "idibu", name: "flood target" } });
  expect(created.status).toBe(201);
  endpointId = created.json.id;
}, 120_000);

afterAll(async () => {
  await app?.kill();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

it("300 stalled 1 MiB uploads: memory, health, deliveries and time-outs stay within the aims", async () => {
  // Warm up what a delivery touches, so the baseline is the server at work, not the server at rest.
  for (let i = 0; i < 5; i++) expect((await probe(app.url, `/api/webhooks/${endpointId}`, { method: "POST", headers: { "content-type": "application/json" }, body: idibuDelivery(`warm-${i}`) })).status).toBe(200);
  const baselineKb = app.rssKb();

  const uploads: StalledUpload[] = [];
  for (let i = 0; i < 300; i++) {
    const target = i % 2 === 0 ? `/api/webhooks/ep_missing_${i}` : `/api/webhooks/${endpointId}`;
    uploads.push(stallUpload(app.port, target, MiB, MiB - 1));
  }
  try {
    await sleep(3_000);
    let peakKb = app.rssKb();
    const healthMs: number[] = [];
    for (let round = 0; round < 5; round++) {
      const health = await probe(app.url, "/api/health");
      expect(health.status).toBe(200);
      healthMs.push(health.ms);
      const delivery = await probe(app.url, `/api/webhooks/${endpointId}`, { method: "POST", headers: { "content-type": "application/json" }, body: idibuDelivery(`during-${round}`) });
      expect(delivery.status, delivery.text).toBe(200);
      peakKb = Math.max(peakKb, app.rssKb());
      await sleep(1_000);
    }
    const growthMb = (peakKb - baselineKb) / 1024;
    console.log(`flood: RSS ${Math.round(baselineKb / 1024)} MB → peak ${Math.round(peakKb / 1024)} MB (+${growthMb.toFixed(1)} MB); /api/health ${healthMs.map((ms) => Math.round(ms)).join(", ")} ms`);
    expect(growthMb).toBeLessThan(100);
    expect(Math.max(...healthMs)).toBeLessThan(500);

    // Unknown endpoints are answered at once, from the URL alone, and the connection closed unread.
    const unknown = uploads.filter((_, i) => i % 2 === 0);
    expect(unknown.every((u) => u.statusLine() === "HTTP/1.1 404 Not Found")).toBe(true);
    expect(unknown.every((u) => u.closedAfterMs() !== null)).toBe(true);
    // Beyond the budget of bytes in flight, uploads to a real endpoint get 503 (with Retry-After).
    const valid = uploads.filter((_, i) => i % 2 === 1);
    expect(valid.filter((u) => u.statusLine() === "HTTP/1.1 503 Service Unavailable").length).toBeGreaterThan(0);

    const deadline = performance.now() + 60_000;
    while (uploads.some((u) => u.closedAfterMs() === null) && performance.now() < deadline) await sleep(500);
    const open = uploads.filter((u) => u.closedAfterMs() === null).length;
    expect(open, "stalled connections still open after 60 s").toBe(0);
    expect(Math.max(...uploads.map((u) => u.closedAfterMs()!))).toBeLessThan(60_000);
  } finally {
    for (const u of uploads) u.destroy();
  }

  // Still healthy, still ingesting; and no log line per broken connection.
  expect((await probe(app.url, `/api/webhooks/${endpointId}`, { method: "POST", headers: { "content-type": "application/json" }, body: idibuDelivery("after") })).status).toBe(200);
  const lines = app.output().split("\n");
  expect(lines.filter((l) => /webhook handler failed|aborted|ECONNRESET/i.test(l)).length, app.output().slice(-2000)).toBeLessThanOrEqual(1);
}, 180_000);
