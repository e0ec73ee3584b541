import { describe, expect, it } from "vitest";
import { buildHistories, type CandidateHistory } from "../../simulator/build-histories";

const build = (seed: number, candidates: number) => buildHistories({ provider: "talview", candidates, seed });
const providerEventsOf = (h: CandidateHistory) => h.deliveries.map((d) => d.expected.providerEvent);

describe("simulated talview histories", () => {
  it("created, then full snapshots with a later updated_at, a deletion repeating the last snapshot, ?event= on every URL", () => {
    const histories = build(7, 40);
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

  it("PUT and PATCH appear for some seeds", () => {
    const methods = new Set([1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) => build(seed, 3).flatMap((h) => h.deliveries.map((d) => d.method))));
    expect([...methods].sort()).toEqual(["PATCH", "POST", "PUT"]);
  });

});
