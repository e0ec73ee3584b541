/**
 * The webhook flood of the security suite (tests/security/lib/flood.ts) on PostgreSQL: 300 stalled
 * 1 MiB uploads, half to unknown endpoints; memory, health, deliveries and time-outs within the aims.
 */
import { afterAll, beforeAll, it } from "vitest";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { startProbedApp, type ProbedApp } from "../security/lib/app";
import { runWebhookFlood } from "../security/lib/flood";

let testDb: TestDb | null = null;
let target: ProbedApp | null = null;
beforeAll(async () => {
  testDb = await createTestDb("postgres");
  target = await startProbedApp({ name: "fault-flood", databaseUrl: testDb.databaseUrl, env: { LOG_LEVEL: "info" } });
}, 120_000);
afterAll(async () => {
  await target?.stop();
  await testDb?.drop();
}, 60_000);

it("300 stalled 1 MiB uploads on PostgreSQL: memory, health, deliveries and time-outs stay within the aims", () => runWebhookFlood(target!.app, target!.endpointId), 180_000);
