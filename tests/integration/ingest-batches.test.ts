/**
 * Ingest's group commit (lib/ingest/ingest-queue.ts): deliveries arriving together are stored with
 * one statement and processed with one call, redeliveries inside one batch still land once, and a
 * delivery the database refuses fails alone without taking its batch-mates with it.
 */
import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { storeDeliveries, type NewDelivery } from "@/lib/db/deliveries";
import type { Sql, SqlQuery } from "@/lib/db/sql";
import { IngestQueue, processDeliveries, type IncomingStored } from "@/lib/ingest/ingest-queue";
import { receiveDelivery } from "@/lib/ingest/receive-delivery";
import { routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

/** Counts statements by name, and can refuse a statement (a data error, as PostgreSQL would raise). */
function instrument(sql: Sql, refuse: (q: SqlQuery) => boolean = () => false) {
  const calls = new Map<string, number>();
  const wrapped: Sql = {
    async query<Row>(q: SqlQuery) {
      calls.set(q.name ?? q.text.slice(0, 30), (calls.get(q.name ?? q.text.slice(0, 30)) ?? 0) + 1);
      if (refuse(q)) throw Object.assign(new Error("value too long for type character varying(1)"), { code: "22001" });
      return sql.query<Row>(q);
    },
    transaction: (fn) => sql.transaction(fn),
  };
  return { sql: wrapped, calls };
}

function idibuDelivery(endpointId: string, externalId: string, key: string = randomUUID()): IncomingStored {
  const fixture = JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString("utf8"));
  fixture.payload.id = externalId;
  fixture.payload.firstname = `Batch ${externalId}`;
  const body = Buffer.from(JSON.stringify(fixture));
  const bodySha256 = createHash("sha256").update(body).digest("hex");
  return {
    id: `dlv_${randomUUID()}`,
    endpointId,
    provider: "idibu",
    receivedAt: new Date(),
    method: "POST",
    query: "",
    headers: { "content-type": "application/json", "x-idibu-delivery": key },
    contentType: "application/json",
    body,
    bodySha256,
    idempotencyKey: key,
    idempotencySource: "x-idibu-delivery header",
  };
}

const queueOptions = { concurrency: 1, maxBatch: 100, maxBatchBytes: 8 * 1024 * 1024, maxQueuedBytes: 64 * 1024 * 1024, lingerMs: 0 };

describe.each<DbKind>(["pglite", "postgres"])("ingest batches on %s", (kind) => {
  let t: TestDb;
  let endpointId: string;
  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    endpointId = (await routes.createEndpoint({ provider: "idibu", name: "batches" })).json.id;
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("40 deliveries sent at once through the route are all processed", async () => {
    const body = (i: number) => {
      const fixture = JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString("utf8"));
      fixture.payload.id = `route-${i}`;
      return JSON.stringify(fixture);
    };
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => sendWebhook(endpointId, body(i), { headers: { "x-idibu-delivery": `route-${randomUUID()}` } })),
    );
    expect(answers.map((a) => `${a.status} ${a.json.status}`)).toEqual(Array(40).fill("200 processed"));
    const stored = await t.db.prisma.delivery.count({ where: { id: { in: answers.map((a) => a.json.deliveryId) }, status: "processed" } });
    expect(stored).toBe(40);
    const candidates = await t.db.prisma.candidate.count({ where: { externalId: { startsWith: "route-" } } });
    expect(candidates).toBe(40);
  });

  it("WEBHOOK_ANSWER=stored: answered `received` once stored, processed after the answer", async () => {
    const fixture = JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString("utf8"));
    fixture.payload.id = "answer-stored";
    const answer = await receiveDelivery({
      db: t.db,
      endpointId,
      method: "POST",
      query: "",
      headers: { "content-type": "application/json", "x-idibu-delivery": `stored-${randomUUID()}` },
      body: Buffer.from(JSON.stringify(fixture)),
      answerWhen: "stored",
    });
    expect([answer.status, answer.body.status]).toEqual([202, "received"]);
    const id = answer.body.deliveryId as string;
    expect(await t.db.prisma.delivery.count({ where: { id } })).toBe(1);
    let status: string | undefined;
    for (let i = 0; i < 100 && status !== "processed"; i++) {
      status = (await t.db.prisma.delivery.findUnique({ where: { id }, select: { status: true } }))?.status;
      if (status !== "processed") await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe("processed");
    expect(await t.db.prisma.event.count({ where: { deliveryId: id } })).toBe(1);
  });

  it("one statement stores a batch and one call processes it", async () => {
    const { sql, calls } = instrument(t.db.sql);
    const queue = new IngestQueue(sql, queueOptions);
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => queue.submit(idibuDelivery(endpointId, `q-${i}`))!));
    const outcomes = await Promise.all(answers.map((a) => ("processing" in a ? a.processing : Promise.reject(new Error("duplicate")))));
    expect(outcomes.map((o) => o.status)).toEqual(Array(25).fill("processed"));
    // Submitted in one turn of the event loop: all 25 in one batch. After the answers, once ingest
    // is quiet: the analytics refresh and People linking, one round each for all 25 candidates.
    await queue.settled();
    expect(Object.fromEntries(calls)).toEqual({ store_deliveries: 1, save_processing_outcomes: 1, refresh_analytics_queue_backlog: 1, link_people_queued: 1 });
    const events = await t.db.prisma.event.count({ where: { candidate: { externalId: { startsWith: "q-" } } } });
    expect(events).toBe(25);
  });

  it("redeliveries of one key inside one batch: the first is the original, the others point at it", async () => {
    const key = `same-${randomUUID()}`;
    const batch: NewDelivery[] = [
      idibuDelivery(endpointId, "dup-1", key),
      idibuDelivery(endpointId, "dup-2"),
      idibuDelivery(endpointId, "dup-1", key),
      idibuDelivery(endpointId, "dup-1", key),
    ];
    const results = await storeDeliveries(t.db.sql, batch);
    expect(results.map((r) => r.duplicateOf)).toEqual([null, null, batch[0].id, batch[0].id]);
    // And a later batch with the same key points at the same original.
    const again = idibuDelivery(endpointId, "dup-1", key);
    expect((await storeDeliveries(t.db.sql, [again]))[0].duplicateOf).toBe(batch[0].id);
    const rows = await t.db.prisma.delivery.findMany({ where: { id: { in: [...batch, again].map((d) => d.id) } }, select: { id: true, status: true } });
    expect(rows.filter((r) => r.status === "received")).toHaveLength(2);
    expect(rows.filter((r) => r.status === "duplicate")).toHaveLength(3);
  });

  it("a delivery the database refuses to store fails alone; its batch-mates are stored", async () => {
    const queue = new IngestQueue(t.db.sql, queueOptions);
    const first = queue.submit(idibuDelivery(endpointId, "solo"))!;
    const good = [idibuDelivery(endpointId, "ok-1"), idibuDelivery(endpointId, "ok-2")];
    const orphan = idibuDelivery("ep_does_not_exist", "orphan");
    const pending = [good[0], orphan, good[1]].map((d) => queue.submit(d)!);
    await first;
    const settled = await Promise.allSettled(pending);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/foreign key/i);
    const stored = await t.db.prisma.delivery.findMany({ where: { id: { in: [...good, orphan].map((d) => d.id) } }, select: { id: true } });
    expect(stored.map((s) => s.id).sort()).toEqual(good.map((d) => d.id).sort());
  });

  it("a delivery whose events the database refuses fails alone; its batch-mates are processed", async () => {
    const poison = idibuDelivery(endpointId, "poison");
    const { sql } = instrument(t.db.sql, (q) => q.name === "save_processing_outcomes" && String(q.params?.[0]).includes(poison.id));
    const queue = new IngestQueue(sql, queueOptions);
    const first = queue.submit(idibuDelivery(endpointId, "lead"))!;
    const mates = [idibuDelivery(endpointId, "mate-1"), poison, idibuDelivery(endpointId, "mate-2")];
    const answers = await Promise.all(mates.map((d) => queue.submit(d)!));
    await first;
    const settled = await Promise.allSettled(answers.map((a) => ("processing" in a ? a.processing : Promise.reject(new Error("duplicate")))));
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const statuses = await t.db.prisma.delivery.findMany({ where: { id: { in: mates.map((d) => d.id) } }, select: { id: true, status: true } });
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({
      [mates[0].id]: "processed",
      // Stored, not processed: receiveDelivery records the failure, or the sweep retries it.
      [poison.id]: "received",
      [mates[2].id]: "processed",
    });
  });

  it("a full queue declines instead of holding more bodies in memory", async () => {
    const queue = new IngestQueue(t.db.sql, { ...queueOptions, maxQueuedBytes: 1 });
    // One delivery is always taken, however large; the next one would pass the limit.
    const first = queue.submit(idibuDelivery(endpointId, "full-1"));
    const second = queue.submit(idibuDelivery(endpointId, "full-2"));
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    await first;
    // Once the batch has left the queue, there is room again.
    const third = queue.submit(idibuDelivery(endpointId, "full-3"));
    expect(third).not.toBeNull();
    await third;
  });
});

describe("ingest work on postgres does not grow with the candidates table", () => {
  let t: TestDb;
  let endpointId: string;
  beforeAll(async () => {
    t = await createTestDb("postgres");
    setDb(t.db);
    endpointId = (await routes.createEndpoint({ provider: "idibu", name: "cost" })).json.id;
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("a batch for new candidates reads a bounded number of candidate rows among 5,000 never analyzed", async () => {
    // A new database: the planner has no statistics yet, the case where it once chose an index
    // scan over every candidate of the provider for each event and stage row.
    await t.db.sql.query({ text: "ALTER TABLE candidates SET (autovacuum_enabled = false)" });
    await t.db.sql.query({
      text: `INSERT INTO candidates (id, provider, external_id, first_seen_at, last_event_at, updated_at)
             SELECT 'cand_seed_' || i, 'idibu', 'seed-' || i, now(), now(), now() FROM generate_series(1, 5000) i`,
    });
    const batch = Array.from({ length: 10 }, (_, i) => idibuDelivery(endpointId, `cost-${i}`));
    const read = await t.db.sql.transaction(async (tx) => {
      await storeDeliveries(tx, batch);
      const outcomes = await processDeliveries(tx, batch);
      expect(outcomes.map((o) => (o.ok ? o.value.status : String(o.error)))).toEqual(Array(10).fill("processed"));
      const [stats] = await tx.query<{ rows: string }>({
        text: "SELECT seq_tup_read + coalesce(idx_tup_fetch, 0) AS rows FROM pg_stat_xact_user_tables WHERE relname = 'candidates'",
      });
      return Number(stats.rows);
    });
    // Per delivery: the upsert, the foreign-key checks of its event and stage row, the aggregate update,
    // the analytics stays' key lookup and join (about 22 rows, whatever the table holds; a scan reads 5,000+).
    expect(read).toBeLessThan(10 * 30);
    expect(await t.db.prisma.event.count({ where: { candidate: { externalId: { startsWith: "cost-" } } } })).toBe(10);
  });

  it("first processing commits without waiting for the WAL flush (a crash leaves it `received`); a reprocess waits", async () => {
    const delivery = idibuDelivery(endpointId, "durable");
    const commitMode = () =>
      t.db.sql.transaction(async (tx) => {
        if ((await tx.query({ text: "SELECT 1 FROM deliveries WHERE id = $1", params: [delivery.id] })).length === 0) await storeDeliveries(tx, [delivery]);
        const [outcome] = await processDeliveries(tx, [delivery]);
        expect(outcome.ok && outcome.value.status).toBe("processed");
        const [row] = await tx.query<{ mode: string }>({ text: "SELECT current_setting('synchronous_commit') AS mode" });
        return row.mode;
      });
    expect(await commitMode()).toBe("off");
    expect(await commitMode()).toBe("on");
    const [after] = await t.db.sql.query<{ mode: string }>({ text: "SELECT current_setting('synchronous_commit') AS mode" });
    expect(after.mode).toBe("on");
  });
});
