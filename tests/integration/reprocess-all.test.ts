import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as reprocessAllRoute } from "@/app/api/reprocess/route";
import { setDb } from "@/lib/db/client";
import { reprocessAll } from "@/lib/ingest/reprocess-all";
import { getProvider } from "@/lib/providers/registry";
import { providerIds, type ProviderId } from "@/lib/providers/types";
import { buildHistories } from "@/lib/simulator/build-histories";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";
import { adminHeaders, BASE, sendWebhook } from "../helpers/api";
import { createEndpoints, sendAndCheck, snapshotHistories, type Endpoints, type HistorySnapshot, type PlannedDelivery } from "../helpers/timeline";

/**
 * A full reprocess rebuilds every event and candidate from the stored raw deliveries: the result must
 * equal what fresh ingestion produced, and a second run must change nothing.
 */

// Each provider's coverage seed: merges, deletions and every other event kind it makes.
const plan = Object.fromEntries(providerIds.map((p) => [p, { seed: getProvider(p)!.simulator.coverageSeed, candidates: 3 }])) as Record<
  ProviderId,
  { seed: number; candidates: number }
>;

const deliveries: PlannedDelivery[] = providerIds
  .flatMap((provider) =>
    buildHistories({ provider, ...plan[provider] }).flatMap((h, hi) =>
      h.deliveries.map((delivery, di) => ({ provider, delivery, deliveryId: `rp-${provider}-${hi}-${di}`, redelivery: false })),
    ),
  )
  .sort((a, b) => a.delivery.occurredAt.getTime() - b.delivery.occurredAt.getTime());

const kinds: DbKind[] = ["pglite", "postgres"];

async function readNdjson(response: Response): Promise<any[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  text += decoder.decode();
  expect(text.endsWith("\n")).toBe(true);
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));
}

describe.each(kinds)("reprocess all deliveries on %s", (kind) => {
  let t: TestDb;
  let endpoints: Endpoints;
  let cutoff: Date;
  let fresh: HistorySnapshot;
  let freshEventIds: string[];
  let failedId: string;
  let duplicates = 0;
  const eventIds = async () => (await t.db.prisma.event.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((e) => e.id);
  const nonDuplicates = () => t.db.prisma.delivery.count({ where: { status: { not: "duplicate" } } });

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    cutoff = new Date();
    endpoints = await createEndpoints();
    for (const [i, p] of deliveries.entries()) {
      await sendAndCheck(endpoints, p);
      // Every fifth delivery is redelivered: stored as a duplicate, never reprocessed.
      if (i % 5 === 0) {
        await sendAndCheck(endpoints, { ...p, redelivery: true });
        duplicates++;
      }
    }
    // A delivery that cannot be mapped: stored, acknowledged with 202, and it must stay failed.
    const bad = await sendWebhook(endpoints.talview.id, JSON.stringify({ id: 5, first_name: "No", updated_at: "not a time" }), {
      query: "?event=can.candidate.updated",
    });
    expect(bad.status).toBe(202);
    expect(bad.json.status).toBe("failed");
    failedId = bad.json.deliveryId;
    fresh = await snapshotHistories(cutoff, 50);
    freshEventIds = await eventIds();
    expect(freshEventIds).toHaveLength(deliveries.length);
    expect(await nonDuplicates()).toBe(deliveries.length + 1);
  }, 60_000);

  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("twice: each run reprocesses every non-duplicate delivery and leaves the histories exactly as fresh ingestion made them", async () => {
    const failedBefore = await t.db.prisma.delivery.findUniqueOrThrow({ where: { id: failedId } });
    for (let run = 1; run <= 2; run++) {
      const progress: { done: number; total: number; failed: number }[] = [];
      const result = await reprocessAll(t.db, { batchSize: 16, onProgress: (p) => progress.push(p) });
      expect(result, `run ${run}`).toMatchObject({
        done: deliveries.length + 1,
        total: deliveries.length + 1,
        failed: 0,
        byStatus: { processed: deliveries.length, failed: 1 },
        errors: [],
        removedCandidates: 0,
      });
      // Batches of 16: progress after each, growing to the total.
      expect(progress.length).toBe(Math.ceil((deliveries.length + 1) / 16));
      expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
      expect(progress.at(-1)).toEqual({ done: deliveries.length + 1, total: deliveries.length + 1, failed: 0 });

      expect(await snapshotHistories(cutoff, 50), `run ${run}`).toEqual(fresh);
      // Deterministic event ids: links to events survive a reprocess.
      expect(await eventIds()).toEqual(freshEventIds);
    }
    expect(await t.db.prisma.delivery.count({ where: { status: "duplicate" } })).toBe(duplicates);
    expect(await t.db.prisma.event.count({ where: { delivery: { status: "duplicate" } } })).toBe(0);

    const failedAfter = await t.db.prisma.delivery.findUniqueOrThrow({ where: { id: failedId } });
    expect(failedAfter.status).toBe("failed");
    expect(failedAfter.error).toBe(failedBefore.error);
    expect(failedAfter.processCount).toBe(failedBefore.processCount + 2);
    expect(await t.db.prisma.event.count({ where: { deliveryId: failedId } })).toBe(0);
  }, 60_000);

  it("POST /api/reprocess streams NDJSON progress lines, then the result", async () => {
    const unauthorized = await reprocessAllRoute(new Request(`${BASE}/api/reprocess`, { method: "POST" }), { params: Promise.resolve({}) } as never);
    expect(unauthorized.status).toBe(401);

    const response = await reprocessAllRoute(new Request(`${BASE}/api/reprocess`, { method: "POST", headers: adminHeaders }), {
      params: Promise.resolve({}),
    } as never);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const lines = await readNdjson(response);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const progress = lines.slice(0, -1);
    expect(progress.length).toBeGreaterThan(0);
    for (const line of progress) {
      expect(line).toEqual({ type: "progress", done: expect.any(Number), total: deliveries.length + 1, failed: 0 });
    }
    expect(progress.at(-1)!.done).toBe(deliveries.length + 1);
    expect(lines.at(-1)).toMatchObject({
      type: "result",
      done: deliveries.length + 1,
      total: deliveries.length + 1,
      failed: 0,
      byStatus: { processed: deliveries.length, failed: 1 },
      errors: [],
      removedCandidates: 0,
    });
    expect(await snapshotHistories(cutoff, 50)).toEqual(fresh);
    expect((await t.db.prisma.delivery.findUniqueOrThrow({ where: { id: failedId } })).status).toBe("failed");
  }, 60_000);

  // Two overlapping rebuilds (the route clicked twice, or `npm run reprocess` while the app's route
  // runs): reprocessing is documented as idempotent, so both must finish without errors.
  // (The delivery row lock taken first in saveProcessingOutcomes is what makes this pass.)
  it("two overlapping runs both finish without errors and leave the histories as fresh ingestion made them", async () => {
    const [a, b] = await Promise.all([reprocessAll(t.db, { batchSize: 8 }), reprocessAll(t.db, { batchSize: 8 })]);
    expect(await snapshotHistories(cutoff, 50)).toEqual(fresh);
    expect(await eventIds()).toEqual(freshEventIds);
    expect((await t.db.prisma.delivery.findUniqueOrThrow({ where: { id: failedId } })).status).toBe("failed");
    for (const result of [a, b]) {
      const errors = result.errors.map((e) => e.error.split("\n").filter(Boolean).at(-1));
      expect({ failed: result.failed, firstErrors: errors.slice(0, 2) }).toEqual({ failed: 0, firstErrors: [] });
      expect(result).toMatchObject({ done: deliveries.length + 1, failed: 0, byStatus: { processed: deliveries.length, failed: 1 } });
    }
  }, 60_000);
});
