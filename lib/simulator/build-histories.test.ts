import { describe, expect, it } from "vitest";
import { getProvider, providers } from "../providers/registry";
import { providerIds, type IncomingDelivery, type ProviderId } from "../providers/types";
import { buildHistories, type CandidateHistory, type SimulatedDelivery } from "./build-histories";

const CANDIDATES = 12;
const build = (provider: ProviderId, seed: number | string = 42, candidates = CANDIDATES) => buildHistories({ provider, candidates, seed });

/** The request as the webhook route would hand it to the provider module, signed like a real sender. */
function incoming(provider: ProviderId, delivery: SimulatedDelivery, secret: string | null, deliveryId = crypto.randomUUID()): IncomingDelivery {
  const now = new Date();
  const signed = getProvider(provider)!.sign(delivery.body, secret, { deliveryId, now });
  const headers: Record<string, string> = { "content-type": delivery.contentType };
  for (const [name, value] of Object.entries(signed)) headers[name.toLowerCase()] = value;
  return {
    method: delivery.method,
    headers,
    query: new URLSearchParams(delivery.query ?? {}),
    body: delivery.body,
    contentType: delivery.contentType,
    receivedAt: now,
  };
}

const providerEventsOf = (h: CandidateHistory) => h.deliveries.map((d) => d.expected.providerEvent);

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
      if (id !== "talview") expect(key?.key).toBeTruthy();
    }
  });
});

describe("provider-specific shapes", () => {
  it("greenhouse: one application and job per history, the documented path, and a hire or rejection at the end", () => {
    const histories = build("greenhouse", 7, 40);
    for (const h of histories) {
      const bodies = h.deliveries.map((d) => JSON.parse(d.body.toString("utf8")));
      const apps = bodies.map((b) => b.payload.application).filter(Boolean);
      expect(new Set(apps.map((a) => a.id)).size, h.candidateId).toBe(1);
      expect(new Set(apps.map((a) => a.jobs[0].id)).size, h.candidateId).toBe(1);
      expect(new Set(apps.map((a) => a.candidate.id)).size, h.candidateId).toBe(1);
      const events = providerEventsOf(h);
      expect(events[0]).toBe("new_prospect_application");
      if (events.at(-1) === "merge_candidate") continue;
      expect(events.slice(0, 5)).toEqual([
        "new_prospect_application",
        "candidate_stage_change",
        "candidate_stage_change",
        "update_candidate",
        "candidate_stage_change",
      ]);
      expect(h.deliveries.slice(1, 5).map((d) => d.expected.stage)).toEqual(["Application Review", "Phone Screen", null, "Onsite"]);
      expect(events).toContain(events.includes("hire_candidate") ? "hire_candidate" : "reject_candidate");
      if (events.includes("unreject_candidate")) expect(events.indexOf("reject_candidate")).toBeLessThan(events.indexOf("unreject_candidate"));
    }
    const all = histories.flatMap(providerEventsOf);
    for (const action of ["hire_candidate", "reject_candidate", "unreject_candidate", "delete_candidate", "merge_candidate"]) {
      expect(all, action).toContain(action);
    }
    // A merge points at another simulated candidate that is not itself merged away.
    const ids = new Set(histories.map((h) => h.candidateId));
    for (const h of histories.filter((h) => providerEventsOf(h).at(-1) === "merge_candidate")) {
      const target = String(JSON.parse(h.deliveries.at(-1)!.body.toString("utf8")).payload.person.new_candidate_id);
      expect(ids.has(target)).toBe(true);
      expect(target).not.toBe(h.candidateId);
      expect(providerEventsOf(histories.find((c) => c.candidateId === target)!)).not.toContain("merge_candidate");
    }
  });

  it("talview: created, then full snapshots with a later updated_at, a deletion repeating the last snapshot, ?event= on every URL", () => {
    const histories = build("talview", 7, 40);
    for (const h of histories) {
      expect(h.deliveries[0].query).toEqual({ event: "can.candidate.created" });
      const snaps = h.deliveries.map((d) => JSON.parse(d.body.toString("utf8")));
      for (let i = 1; i < h.deliveries.length; i++) {
        if (h.deliveries[i].query?.event === "can.candidate.deleted") {
          expect(i).toBe(h.deliveries.length - 1);
          expect(h.deliveries[i].body.equals(h.deliveries[i - 1].body)).toBe(true);
        } else {
          expect(h.deliveries[i].query).toEqual({ event: "can.candidate.updated" });
          expect(Date.parse(snaps[i].updated_at)).toBeGreaterThan(Date.parse(snaps[i - 1].updated_at));
          expect(snaps[i].created_at).toBe(snaps[0].created_at);
        }
      }
    }
    expect(histories.flatMap(providerEventsOf)).toContain("can.candidate.deleted");
  });

  it("talview: PUT and PATCH appear for some seeds", () => {
    const methods = new Set([1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) => build("talview", seed, 3).flatMap((h) => h.deliveries.map((d) => d.method))));
    expect([...methods].sort()).toEqual(["PATCH", "POST", "PUT"]);
  });

  it("idibu: vacancy status moves Applicants → Shortlisted → … and the timestamp increases", () => {
    const histories = build("idibu", 7, 40);
    const order = ["Applicants", "Shortlisted", "Client CV Sent", "Interview", "Offered", "Placed"];
    for (const h of histories) {
      const bodies = h.deliveries.map((d) => JSON.parse(d.body.toString("utf8")));
      expect(bodies[0]["payload-information"].webhook_event).toBe("candidate.create");
      expect(bodies[0].payload.vacancies[0].status.label).toBe("Applicants");
      const labels = bodies.map((b) => b.payload.vacancies[0].status.label as string).filter((l) => l !== "Rejected");
      const ranks = labels.map((l) => order.indexOf(l));
      expect(ranks.every((r, i) => r >= 0 && (i === 0 || r >= ranks[i - 1])), labels.join(" → ")).toBe(true);
      const stamps = bodies.map((b) => Date.parse(b["payload-information"].timestamp));
      expect(stamps.every((t, i) => i === 0 || t > stamps[i - 1])).toBe(true);
    }
    const finals = new Set(histories.map((h) => JSON.parse(h.deliveries.at(-1)!.body.toString("utf8")).payload.vacancies[0].status.label));
    expect(finals).toContain("Placed");
    expect(finals).toContain("Offered");
  });

  it("outhire: applied, then stage changes chained previous → new, by user, joel or api, occurred_at increasing", () => {
    const histories = build("outhire", 7, 40);
    const actors = new Set<string>();
    for (const h of histories) {
      const bodies = h.deliveries.map((d) => JSON.parse(d.body.toString("utf8")));
      expect(bodies[0].event).toBe("candidate.applied");
      let stage = "applied";
      for (const b of bodies.slice(1)) {
        expect(b.event).toBe("candidate.stage_changed");
        expect(b.stage_change.previous_stage).toBe(stage);
        expect(b.stage_change.new_stage).not.toBe(stage);
        expect(["user", "joel", "api"]).toContain(b.stage_change.changed_by);
        expect(b.stage_change.changed_by_user_id === null).toBe(b.stage_change.changed_by !== "user");
        actors.add(b.stage_change.changed_by);
        stage = b.stage_change.new_stage;
      }
      const times = bodies.map((b) => Date.parse(b.occurred_at));
      expect(times.every((t, i) => i === 0 || t > times[i - 1])).toBe(true);
    }
    expect([...actors].sort()).toEqual(["api", "joel", "user"]);
  });

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
