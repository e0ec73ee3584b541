/**
 * Recovery in seconds: a delivery stored but never processed by a process that died is processed
 * by the next process's first sweep without a grace period, and a redelivery of it is processed at
 * once and answered with the outcome. A young `received` delivery of this process (still in its
 * queue, or another live instance's) is left alone: the retry of it is a duplicate as before.
 * On PGlite and PostgreSQL, through the real webhook route.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { storeDelivery } from "@/lib/db/deliveries";
import { processStartedAt, recoverUnprocessed } from "@/lib/ingest/recover-unprocessed";
import { routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

const kinds: DbKind[] = ["pglite", "postgres"];

describe.each(kinds)("recovery on %s", (kind) => {
  let t: TestDb;
  let endpoint = "";

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    endpoint = (await routes.createEndpoint({ provider: "idibu", name: "recovery" })).json.id;
  }, 120_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  /** Stores a delivery as the ingest's first step does, and stops there (as a kill -9 would). */
  async function storeUnprocessed(key: string, receivedAt: Date, firstname: string): Promise<{ id: string; body: Buffer }> {
    const fixture = JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString("utf8"));
    fixture.payload.id = `rec-${key}`;
    fixture.payload.firstname = firstname;
    const body = Buffer.from(JSON.stringify(fixture));
    const id = `dlv_${key}`;
    await storeDelivery(t.db.sql, {
      id,
      endpointId: endpoint,
      provider: "idibu",
      receivedAt,
      method: "POST",
      query: "",
      headers: { "content-type": "application/json", "x-idibu-delivery": key },
      contentType: "application/json",
      body,
      bodySha256: createHash("sha256").update(body).digest("hex"),
      idempotencyKey: key,
      idempotencySource: "X-Idibu-Delivery",
    });
    return { id, body };
  }

  const statusOf = async (id: string) => (await t.db.prisma.delivery.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;

  it("the sweep takes what arrived before this process started at once, and leaves this process's young deliveries their grace", async () => {
    // Seconds before this process started: younger than the 30 s grace, but no live queue can hold it.
    const before = await storeUnprocessed(`${kind}-before-start`, new Date(processStartedAt.getTime() - 2_000), "Before");
    const young = await storeUnprocessed(`${kind}-young`, new Date(), "Young");
    await recoverUnprocessed(t.db);
    expect(await statusOf(before.id)).toBe("processed");
    expect(await statusOf(young.id)).toBe("received");
  });

  it("a redelivery of a delivery left `received` by a dead process is processed now and answered with the outcome", async () => {
    const orphan = await storeUnprocessed(`${kind}-orphan`, new Date(processStartedAt.getTime() - 1_000), "Orphan");
    const res = await sendWebhook(endpoint, orphan.body, { headers: { "x-idibu-delivery": `${kind}-orphan` } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "processed", deliveryId: orphan.id, eventType: "candidate.create" });
    expect(res.json.events).toHaveLength(1);
    expect(res.json.redeliveryId).toMatch(/^dlv_/);
    expect(await statusOf(orphan.id)).toBe("processed");
    expect(await statusOf(res.json.redeliveryId)).toBe("duplicate");
    // Processed once: one event, and a further retry is a plain duplicate.
    expect(await t.db.prisma.event.count({ where: { deliveryId: orphan.id } })).toBe(1);
    const again = await sendWebhook(endpoint, orphan.body, { headers: { "x-idibu-delivery": `${kind}-orphan` } });
    expect(again.json).toMatchObject({ status: "duplicate", duplicateOf: orphan.id });
  });

  it("a redelivery of a young `received` delivery (another instance may be processing it) is a duplicate", async () => {
    const young = await storeUnprocessed(`${kind}-young-2`, new Date(), "Young");
    const res = await sendWebhook(endpoint, young.body, { headers: { "x-idibu-delivery": `${kind}-young-2` } });
    expect(res.json).toMatchObject({ status: "duplicate", duplicateOf: young.id });
    expect(await statusOf(young.id)).toBe("received");
  });

  it("processing a delivery twice (two instances recovering it at once) leaves one set of events", async () => {
    const twice = await storeUnprocessed(`${kind}-twice`, new Date(processStartedAt.getTime() - 3_000), "Twice");
    await Promise.all([recoverUnprocessed(t.db), recoverUnprocessed(t.db)]);
    expect(await statusOf(twice.id)).toBe("processed");
    expect(await t.db.prisma.event.count({ where: { deliveryId: twice.id } })).toBe(1);
  });
});
