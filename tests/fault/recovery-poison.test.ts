/**
 * Once a bug: deliveries whose processing threw inside the database (a U+0000 in a candidate name)
 * stayed `received` forever, and since the recovery sweep takes the oldest 200 `received` deliveries,
 * 200 of them starved a delivery genuinely interrupted by a crash. Now such values are stored with
 * U+FFFD, and a data error marks the delivery failed instead of leaving it for the sweep.
 * Runs in-process on PGlite (the sweep is the same function the app's loop calls).
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { storeDelivery } from "@/lib/db/deliveries";
import { recoverUnprocessed } from "@/lib/ingest/recover-unprocessed";
import { routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type TestDb } from "../helpers/test-db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb("pglite");
  setDb(t.db);
}, 60_000);
afterAll(async () => {
  setDb(undefined);
  await t?.drop();
});

it("after 200 deliveries with NUL characters, the sweep still reaches an interrupted delivery", { timeout: 120_000 }, async () => {
  const endpoint = (await routes.createEndpoint({ provider: "idibu", name: "poison" })).json.id as string;
  const fixture = JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString("utf8"));
  for (let i = 0; i < 201; i++) {
    fixture.payload.firstname = `Poison\u0000${i}`;
    const r = await sendWebhook(endpoint, JSON.stringify(fixture), { headers: { "x-idibu-delivery": `poison-${i}` } });
    expect(r.json.status).toBe("processed");
  }
  const names = await t.db.prisma.candidate.findMany({ where: { name: { startsWith: "Poison" } }, select: { name: true }, take: 1 });
  expect(names[0].name).toMatch(/^Poison\uFFFD\d+ /);
  // A delivery stored and then interrupted (the process died before processing it).
  fixture.payload.firstname = "Genuine";
  const body = Buffer.from(JSON.stringify(fixture));
  await storeDelivery(t.db.sql, {
    id: "dlv_interrupted",
    endpointId: endpoint,
    provider: "idibu",
    receivedAt: new Date(),
    method: "POST",
    query: "",
    headers: { "content-type": "application/json" },
    contentType: "application/json",
    body,
    bodySha256: createHash("sha256").update(body).digest("hex"),
    idempotencyKey: "interrupted",
    idempotencySource: "X-Idibu-Delivery",
  });
  // Two sweeps, as the app runs them every 30 s (grace 0: nothing is in flight here).
  await recoverUnprocessed(t.db, 0);
  await recoverUnprocessed(t.db, 0);
  const row = await t.db.prisma.delivery.findUnique({ where: { id: "dlv_interrupted" }, select: { status: true } });
  expect(row?.status).toBe("processed");
});
