/**
 * Probe: memory and connection exhaustion through the public webhook route (issue 14, item 1),
 * against the built app as `npm start` serves it (embedded PGlite), with its default limits. The
 * probe and its aims are in ./lib/flood.ts; the fault suite runs it on PostgreSQL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { adminFetch, requireBuild, startApp, type AppServer } from "../helpers/app-server";
import { runWebhookFlood } from "./lib/flood";
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

it("300 stalled 1 MiB uploads: memory, health, deliveries and time-outs stay within the aims", () => runWebhookFlood(app, endpointId), 180_000);
