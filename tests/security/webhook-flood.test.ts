/**
 * Probe: memory and connection exhaustion through the public webhook route (issue 14, item 1),
 * against the built app as `npm start` serves it (embedded PGlite), with its default limits. The
 * probe and its aims are in ./lib/flood.ts; the fault suite runs it on PostgreSQL.
 */
import { afterAll, beforeAll, it } from "vitest";
import { startProbedApp, type ProbedApp } from "./lib/app";
import { runWebhookFlood } from "./lib/flood";

let target: ProbedApp;
beforeAll(async () => {
  target = await startProbedApp({ name: "security-flood", env: { LOG_LEVEL: "info" } });
}, 120_000);
afterAll(() => target?.stop(), 60_000);

it("300 stalled 1 MiB uploads: memory, health, deliveries and time-outs stay within the aims", () => runWebhookFlood(target.app, target.endpointId), 180_000);
