import { describe, expect, it } from "vitest";
import { getProvider, providers } from "../providers/registry";
import { signRequest } from "../providers/sign-request";
import { providerIds, type IncomingDelivery, type ProviderId } from "../providers/types";
import { buildHistories, type CandidateHistory, type SimulatedDelivery } from "./build-histories";

const CANDIDATES = 12;
const build = (provider: ProviderId, seed: number | string = 42, candidates = CANDIDATES) => buildHistories({ provider, candidates, seed });

/** The request as the webhook route would hand it to the provider module, signed like a real sender. */
function incoming(provider: ProviderId, delivery: SimulatedDelivery, secret: string | null, deliveryId = crypto.randomUUID()): IncomingDelivery {
  const now = new Date();
  const signed = signRequest(getProvider(provider)!, delivery.body, secret, { deliveryId, now });
  const headers: Record<string, string> = { "content-type": delivery.contentType };
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return {
    method: delivery.method,
    headers,
    query: new URLSearchParams(delivery.query ?? {}),
    body: signed.body,
    contentType: delivery.contentType,
    receivedAt: now,
  };
}


describe.each(providerIds)("simulated %s histories", (id) => {
  const provider = providers[id];
  const histories = build(id);

  it("builds one multi-step history per candidate", () => {
    expect(histories).toHaveLength(CANDIDATES);
    for (const h of histories) {
      expect(h.provider).toBe(id);
      expect(h.deliveries.length).toBeGreaterThanOrEqual(3);
    }
  });

  it("maps every body to processed events of the expected type, stage and candidate, in order", () => {
    for (const h of histories) {
      const mapped = h.deliveries.map((d) => {
        const delivery = incoming(id, d, provider.generateSecret());
        const result = provider.map(JSON.parse(d.body.toString("utf8")), delivery);
        expect(result, d.label).toMatchObject({ status: "processed", providerEvent: d.expected.providerEvent });
        if (result.status !== "processed") throw new Error(`${d.label}: ${JSON.stringify(result)}`);
        // The documented examples report no drift, so neither should bodies built from them.
        expect(result.drift, d.label).toEqual([]);
        expect(result.events, d.label).toHaveLength(1);
        const [event] = result.events;
        expect(event.candidate.externalId, d.label).toBe(h.candidateId);
        expect(event.typeInferred, d.label).toBe(false);
        expect(event.stage?.to ?? null, d.label).toBe(d.expected.stage);
        if (event.occurredAt) expect(event.occurredAt.getTime(), d.label).toBe(d.occurredAt.getTime());
        return event.type;
      });
      expect(mapped).toEqual(h.deliveries.map((d) => d.expected.type));
    }
  });

  it("keeps times strictly increasing within each candidate, minutes to days apart", () => {
    for (const h of histories) {
      for (let i = 1; i < h.deliveries.length; i++) {
        const gap = h.deliveries[i].occurredAt.getTime() - h.deliveries[i - 1].occurredAt.getTime();
        expect(gap, h.deliveries[i].label).toBeGreaterThanOrEqual(60_000);
        expect(gap, h.deliveries[i].label).toBeLessThanOrEqual(5 * 86_400_000);
      }
    }
  });

  it("uses only methods and content types the provider accepts", () => {
    for (const d of histories.flatMap((h) => h.deliveries)) {
      expect(provider.methods).toContain(d.method);
      expect(d.contentType).toBe("application/json");
    }
  });

  it("gives every candidate its own id and email", () => {
    expect(new Set(histories.map((h) => h.candidateId)).size).toBe(CANDIDATES);
    expect(new Set(histories.map((h) => h.email)).size).toBe(CANDIDATES);
  });

  it("is deterministic: same seed → identical bytes, different seed → different ids", () => {
    const again = build(id);
    expect(again.map((h) => h.deliveries.map((d) => d.body.toString("base64")))).toEqual(
      histories.map((h) => h.deliveries.map((d) => d.body.toString("base64"))),
    );
    expect(again.map((h) => h.deliveries.map((d) => [d.method, d.occurredAt.toISOString(), d.label, d.query]))).toEqual(
      histories.map((h) => h.deliveries.map((d) => [d.method, d.occurredAt.toISOString(), d.label, d.query])),
    );
    const other = build(id, 43);
    const ids = new Set(histories.map((h) => h.candidateId));
    expect(other.some((h) => ids.has(h.candidateId))).toBe(false);
  });

  it("signs so that the provider's own verify() accepts it with the same secret, and rejects another", () => {
    const secret = provider.generateSecret();
    for (const d of histories.flatMap((h) => h.deliveries).slice(0, 8)) {
      const delivery = incoming(id, d, secret);
      expect(provider.verify(delivery, secret === null ? [] : [secret]), d.label).toEqual({ ok: true });
      if (provider.signs) {
        expect(provider.verify(delivery, [provider.generateSecret()!]).ok).toBe(false);
        // The signed bytes are the body as built: any change breaks the signature.
        const tampered = { ...delivery, body: Buffer.concat([d.body, Buffer.from(" ")]) };
        expect(provider.verify(tampered, [secret!]).ok).toBe(false);
      }
      const key = provider.idempotencyKey(delivery);
      expect(key?.key).toBeTruthy();
    }
  });
});

describe("every provider", () => {
  it("names include non-ASCII and apostrophes across a run", () => {
    const names = providerIds.flatMap((p) => build(p, 3, 30).map((h) => h.name));
    expect(names.some((n) => /[^\x00-\x7f]/.test(n))).toBe(true);
    expect(names.some((n) => n.includes("'"))).toBe(true);
    for (const email of providerIds.flatMap((p) => build(p, 3, 30).map((h) => h.email))) expect(email).toMatch(/^[a-z0-9.]+@[a-z.]+$/);
  });

  it("a string seed works and startAt moves every time", () => {
    const a = buildHistories({ provider: "outhire", candidates: 2, seed: "demo", startAt: new Date("2026-01-01T00:00:00Z") });
    for (const d of a.flatMap((h) => h.deliveries)) expect(d.occurredAt.getTime()).toBeGreaterThanOrEqual(Date.parse("2026-01-01T00:00:00Z"));
    expect(buildHistories({ provider: "outhire", candidates: 0, seed: 1 })).toEqual([]);
  });
});

describe.each(providerIds)("%s histories started over a longer inflow (startSpreadDays)", (id) => {
  it("start over the given days after startAt, and the default week is unchanged", () => {
    const startAt = new Date("2026-01-05T00:00:00Z");
    const firstDay = (hs: CandidateHistory[]) => hs.map((h) => Math.floor((h.deliveries[0]!.occurredAt.getTime() - startAt.getTime()) / 86_400_000));
    const spread = firstDay(buildHistories({ provider: id, candidates: 40, seed: "spread", startAt, startSpreadDays: 28 }));
    expect(Math.min(...spread)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...spread)).toBeGreaterThan(7);
    expect(Math.max(...spread)).toBeLessThan(28);
    const week = buildHistories({ provider: id, candidates: 40, seed: "spread", startAt });
    expect(Math.max(...firstDay(week))).toBeLessThan(7);
    expect(buildHistories({ provider: id, candidates: 40, seed: "spread", startAt, startSpreadDays: 7 }).map((h) => h.deliveries.map((d) => d.body.toString()))).toEqual(
      week.map((h) => h.deliveries.map((d) => d.body.toString())),
    );
  });
});
