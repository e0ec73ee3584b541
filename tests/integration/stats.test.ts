import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as statsRoute } from "@/app/api/stats/route";
import { overviewStatsSchema } from "@/lib/contracts/stats";
import { setDb } from "@/lib/db/client";
import { getOverviewStats } from "@/lib/db/stats";
import { buildHistories, type SimulatedDelivery } from "@/lib/simulator/build-histories";
import { providerIds, type ProviderId } from "@/lib/providers/types";
import { call, routes, sendWebhook } from "../helpers/api";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

const kinds: DbKind[] = ["pglite", "postgres"];
const stats = async () => {
  const res = await call(statsRoute as never, "GET", "/api/stats");
  expect(res.status).toBe(200);
  return overviewStatsSchema.parse(res.json);
};
const tally = (values: string[]) => values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});

describe.each(kinds)("GET /api/stats on %s", (kind) => {
  let t: TestDb;
  const ep = {} as Record<ProviderId, { id: string; secret: string | null }>;
  const sent: { provider: ProviderId; delivery: SimulatedDelivery; deliveryId: string }[] = [];

  const send = (provider: ProviderId, d: SimulatedDelivery, deliveryId = crypto.randomUUID()) =>
    sendWebhook(ep[provider].id, d.body, {
      method: d.method as "POST",
      query: d.query ? `?${new URLSearchParams(d.query)}` : "",
      sign: { provider, secret: ep[provider].secret, deliveryId },
    });

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
  }, 120_000);

  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("is a first run on an empty database, with zeros everywhere and 14 empty days", async () => {
    const s = await stats();
    expect(s.firstRun).toBe(true);
    expect(s.totals).toEqual({ candidates: 0, events: 0, deliveries: 0, endpoints: 0 });
    expect(s.last24h.total).toBe(0);
    expect(s.activity.basis).toBe("receivedAt");
    expect(s.activity.days).toHaveLength(14);
    expect(s.activity.days.at(-1)!.day).toBe(new Date().toISOString().slice(0, 10));
    expect(s.recentEvents).toEqual([]);
    expect(s.attention).toEqual([]);
  });

  it("is no longer a first run once an endpoint exists", async () => {
    for (const provider of ["greenhouse", "talview", "outhire"] as const) {
      const res = await routes.createEndpoint({ provider, name: `${provider} stats` });
      expect(res.status).toBe(201);
      ep[provider] = { id: res.json.id, secret: res.json.secret };
    }
    const s = await stats();
    expect(s.firstRun).toBe(false);
    expect(s.totals.endpoints).toBe(3);
  });

  it("counts known deliveries per status, events per provider, type and day, and lists failing endpoints", async () => {
    // Histories whose occurred times are long ago: activity must follow the received time.
    for (const provider of ["greenhouse", "outhire"] as const) {
      for (const h of buildHistories({ provider, candidates: 2, seed: `stats-${kind}`, startAt: new Date("2024-03-01T00:00:00Z") })) {
        for (const d of h.deliveries) {
          const deliveryId = crypto.randomUUID();
          const res = await send(provider, d, deliveryId);
          expect(res.json.status, d.label).toBe("processed");
          sent.push({ provider, delivery: d, deliveryId });
        }
      }
    }
    // One redelivery (duplicate), two malformed Talview bodies (failed), one wrong signature (rejected).
    const first = sent[0];
    expect((await send(first.provider, first.delivery, first.deliveryId)).json.status).toBe("duplicate");
    expect((await send(first.provider, first.delivery, first.deliveryId)).json.status).toBe("duplicate");
    for (let i = 0; i < 2; i++) {
      const bad = await sendWebhook(ep.talview.id, `{oops ${i}`, { query: "?event=can.candidate.updated" });
      expect(bad.json.status).toBe("failed");
    }
    const rejected = await sendWebhook(ep.greenhouse.id, first.delivery.body, { sign: { provider: "greenhouse", secret: "not-the-secret" } });
    expect(rejected.status).toBe(401);

    const s = await stats();
    const processed = sent.length;
    const byProvider = tally(sent.map((x) => x.provider));
    const byType = tally(sent.map((x) => x.delivery.expected.type));

    expect(s.firstRun).toBe(false);
    expect(s.totals).toEqual({ candidates: 4, events: processed, deliveries: processed + 2 + 2, endpoints: 3 });
    expect(s.last24h.byStatus).toEqual({ received: 0, processed, duplicate: 2, ignored: 0, failed: 2 });
    expect(s.last24h.total).toBe(processed + 4);

    const today = s.activity.days.at(-1)!;
    expect(today.total).toBe(processed);
    expect(today.byProvider).toEqual({ ...Object.fromEntries(providerIds.map((p) => [p, 0])), greenhouse: byProvider.greenhouse, outhire: byProvider.outhire });
    expect(s.activity.days.slice(0, -1).every((d) => d.total === 0)).toBe(true);
    expect(Object.fromEntries(s.activity.byProvider.map((p) => [p.provider, p.count]))).toEqual(byProvider);
    expect(Object.fromEntries(s.activity.byType.map((p) => [p.type, p.count]))).toEqual(byType);
    expect(s.activity.byType.map((p) => p.count)).toEqual([...s.activity.byType.map((p) => p.count)].sort((a, b) => b - a));

    expect(s.recentEvents).toHaveLength(10);
    const times = s.recentEvents.map((e) => Date.parse(e.receivedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const e of s.recentEvents) {
      expect(e.candidateName).toBeTruthy();
      expect(e.candidateId).toMatch(/^cand_/);
    }
    // The newest event is the last delivery sent.
    expect(s.recentEvents[0].provider).toBe("outhire");

    expect(s.attention).toHaveLength(2);
    const talview = s.attention.find((a) => a.endpointId === ep.talview.id)!;
    expect(talview).toMatchObject({ provider: "talview", failed24h: 2, rejectedCount: 0, lastRejectedAt: null });
    expect(talview.lastFailedAt).not.toBeNull();
    const greenhouse = s.attention.find((a) => a.endpointId === ep.greenhouse.id)!;
    expect(greenhouse).toMatchObject({ failed24h: 0, rejectedCount: 1 });
    expect(greenhouse.lastRejectReason).toBeTruthy();
    expect(s.attention[0].endpointId).toBe(ep.talview.id);
  });

  it("moves the windows with the clock: two days later nothing is in the last 24 h and today's bar is two days back", async () => {
    const later = new Date(Date.now() + 2 * 86_400_000);
    const s = overviewStatsSchema.parse(JSON.parse(JSON.stringify(await getOverviewStats(t.db.sql, { now: later }))));
    expect(s.last24h.total).toBe(0);
    expect(s.activity.days.at(-3)!.total).toBe(sent.length);
    expect(s.attention.map((a) => a.endpointId)).toEqual([ep.greenhouse.id]);
    const ten = new Date(Date.now() + 10 * 86_400_000);
    const s10 = await getOverviewStats(t.db.sql, { now: ten });
    expect(s10.attention).toEqual([]);
  });

  it("needs the admin token", async () => {
    const res = await call(statsRoute as never, "GET", "/api/stats", { auth: false });
    expect(res.status).toBe(401);
  });
});
