import { afterEach, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { getProvider } from "@/lib/providers/registry";
import { providerIds, type ProviderId } from "@/lib/providers/types";
import { buildHistories, type CandidateHistory } from "@/lib/simulator/build-histories";
import { Rng } from "@/lib/simulator/random";
import { createTestDb, type TestDb } from "../helpers/test-db";
import {
  createEndpoints,
  isTimeless,
  sendAndCheck,
  sendPlanned,
  shuffle,
  snapshotHistories,
  type HistorySnapshot,
  type PlannedDelivery,
} from "../helpers/timeline";

/**
 * Real PostgreSQL, where deliveries for one candidate really run in parallel transactions: a burst
 * of a candidate's whole history (plus concurrent redeliveries of every delivery) must end in the
 * same history as the same deliveries sent one by one, and lose nothing.
 */

const COPIES = 3; // each delivery is sent this many times at once: one original, the rest redeliveries

/** Three rounds with different histories; the seeds are fixed. */
const rounds: Array<Record<ProviderId, number>> = [0, 1, 2].map(
  (round) => Object.fromEntries(providerIds.map((p) => [p, getProvider(p)!.simulator.burstSeeds[round]])) as Record<ProviderId, number>,
);

function burstPlan(seeds: Record<ProviderId, number>) {
  /** One candidate per provider: the one with the longest history among a few (never a merged-away duplicate). */
  const chosen = Object.fromEntries(
    providerIds.map((provider) => {
      const candidates = buildHistories({ provider, candidates: 5, seed: seeds[provider] }).filter(
        (h) => !h.deliveries.some((d) => d.expected.type === "merged"),
      );
      return [provider, candidates.reduce((a, b) => (b.deliveries.length > a.deliveries.length ? b : a))];
    }),
  ) as Record<ProviderId, CandidateHistory>;
  const deliveries: PlannedDelivery[] = providerIds.flatMap((provider) =>
    chosen[provider].deliveries.map((delivery, i) => ({ provider, delivery, deliveryId: `burst-${provider}-${i}`, redelivery: false })),
  );
  return { chosen, deliveries };
}

describe.each(rounds)("a burst of concurrent deliveries for one candidate per provider (PostgreSQL, seeds %o)", (seeds) => {
  const { chosen, deliveries } = burstPlan(seeds);
  let t: TestDb | undefined;
  afterEach(async () => {
    setDb(undefined);
    await t?.drop();
    t = undefined;
  });

  let sequential: HistorySnapshot | null = null;

  it("one by one: the reference history", async () => {
    t = await createTestDb("postgres");
    setDb(t.db);
    const cutoff = new Date();
    const endpoints = await createEndpoints();
    for (const p of deliveries) await sendAndCheck(endpoints, p);
    sequential = await snapshotHistories(cutoff);
    expect(Object.keys(sequential.candidates)).toHaveLength(providerIds.length);
    for (const provider of providerIds) {
      const c = sequential.candidates[`${provider}:${chosen[provider].candidateId}`];
      expect(c.view.eventCount).toBe(chosen[provider].deliveries.length);
      expect(c.timelineWithNoise).toHaveLength(chosen[provider].deliveries.length);
    }
  }, 60_000);

  it("all at once, with concurrent redeliveries: same timelines and views, no lost or doubled delivery", async () => {
    expect(sequential, "the sequential run must have produced the reference").not.toBeNull();
    t = await createTestDb("postgres");
    setDb(t.db);
    const db = t.db;
    const cutoff = new Date();
    const endpoints = await createEndpoints();

    const copies = (p: PlannedDelivery) => Array.from({ length: COPIES }, (_, i) => ({ ...p, redelivery: i > 0 }));
    // Greenhouse deliveries without a provider time are dated by arrival, so their relative order is
    // part of the history: each group (the delivery and its redeliveries) waits for the one before.
    // Against everything else their place is fixed (now, after every simulated 2025 time).
    const timeless = deliveries.filter(isTimeless);
    const rest = shuffle(new Rng("burst", JSON.stringify(seeds)), deliveries.filter((p) => !isTimeless(p)).flatMap(copies));
    expect(rest.length + timeless.length * COPIES).toBeGreaterThanOrEqual(60);

    type Sent = { p: PlannedDelivery; status: number; json: any };
    const send = async (p: PlannedDelivery): Promise<Sent> => {
      const res = await sendPlanned(endpoints, p);
      return { p, status: res.status, json: res.json };
    };
    const chain = (async () => {
      const out: Sent[] = [];
      for (const p of timeless) out.push(...(await Promise.all(copies(p).map(send))));
      return out;
    })();
    const results = [...(await Promise.all(rest.map(send))), ...(await chain)];

    // Every request acknowledged; per delivery id exactly one original, the others duplicates of it.
    for (const r of results) expect(r.status, `${r.p.delivery.label}: ${JSON.stringify(r.json)}`).toBe(200);
    for (const p of deliveries) {
      const mine = results.filter((r) => r.p.provider === p.provider && r.p.deliveryId === p.deliveryId);
      expect(mine).toHaveLength(COPIES);
      const originals = mine.filter((r) => r.json.status === "processed");
      expect(originals, p.delivery.label).toHaveLength(1);
      for (const dup of mine.filter((r) => r !== originals[0])) {
        expect(dup.json, p.delivery.label).toMatchObject({ status: "duplicate", duplicate: true, duplicateOf: originals[0].json.deliveryId });
      }
    }

    // Nothing lost: every acknowledged delivery is stored, with the status the response announced.
    const stored = await db.prisma.delivery.findMany({ select: { id: true, status: true, duplicateOfId: true } });
    expect(stored).toHaveLength(results.length);
    const byId = new Map(stored.map((d) => [d.id, d]));
    for (const r of results) {
      expect(byId.get(r.json.deliveryId), r.p.delivery.label).toMatchObject({ status: r.json.status });
    }
    // One event per distinct delivery, none for the redeliveries.
    expect(await db.prisma.event.count()).toBe(deliveries.length);
    expect(await db.prisma.delivery.count({ where: { status: "processed" } })).toBe(deliveries.length);
    const eventDeliveries = await db.prisma.event.findMany({ select: { deliveryId: true } });
    expect(new Set(eventDeliveries.map((e) => e.deliveryId)).size).toBe(deliveries.length);

    const burst = await snapshotHistories(cutoff);
    for (const key of Object.keys(sequential!.candidates)) {
      expect(burst.candidates[key]?.view, `${key} view`).toEqual(sequential!.candidates[key].view);
      expect(burst.candidates[key]?.timeline, `${key} timeline`).toEqual(sequential!.candidates[key].timeline);
      expect(burst.candidates[key]?.timelineWithNoise, `${key} timeline with noise`).toEqual(sequential!.candidates[key].timelineWithNoise);
    }
    expect(burst).toEqual(sequential);

    // The stored aggregates agree with the events (no lost update between concurrent transactions).
    const candidates = await db.prisma.candidate.findMany({ select: { id: true, eventCount: true } });
    expect(candidates).toHaveLength(providerIds.length);
    for (const c of candidates) expect(c.eventCount).toBe(await db.prisma.event.count({ where: { candidateId: c.id } }));
  }, 60_000);
});
