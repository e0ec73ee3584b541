/**
 * The webhook flood of the security suite (tests/security/lib/flood.ts) on PostgreSQL: 300 stalled
 * 1 MiB uploads, half to unknown endpoints; memory, health, deliveries and time-outs within the aims.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { adminFetch, requireBuild, startApp, type AppServer } from "../helpers/app-server";
import { runWebhookFlood } from "../security/lib/flood";

let testDb: TestDb | null = null;
let app: AppServer | null = null;
let dataDir = "";
let endpointId = "";

beforeAll(async () => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), "fault-flood-"));
  testDb = await createTestDb("postgres");
  app = await startApp({ databaseUrl: testDb.databaseUrl, dataDir, env: { LOG_LEVEL: "info" } });
  const created = await adminFetch(app, "/api/endpoints", { method: "POST", body: { provider: "idibu", name: "flood target" } });
  expect(created.status).toBe(201);
  endpointId = created.json.id;
}, 120_000);

afterAll(async () => {
  await app?.kill();
  await testDb?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

it("300 stalled 1 MiB uploads on PostgreSQL: memory, health, deliveries and time-outs stay within the aims", () => runWebhookFlood(app!, endpointId), 180_000);
