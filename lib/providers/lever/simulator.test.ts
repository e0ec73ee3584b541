import { describe, expect, it } from "vitest";
import { buildHistories, type CandidateHistory } from "../../simulator/build-histories";

const build = (seed: number, candidates: number) => buildHistories({ provider: "lever", candidates, seed });
const providerEventsOf = (h: CandidateHistory) => h.deliveries.map((d) => d.expected.providerEvent);

describe("simulated lever histories", () => {
  it("applicationCreated, stage changes chained from → to, then hired or archived (sometimes unarchived or deleted), triggeredAt increasing", () => {
    const histories = build(7, 40);
    for (const h of histories) {
      const bodies = h.deliveries.map((d) => JSON.parse(d.body.toString("utf8")));
      expect(bodies[0].event).toBe("applicationCreated");
      expect(bodies.every((b) => b.data.opportunityId === h.candidateId)).toBe(true);
      const moves = bodies.filter((b) => b.event === "candidateStageChange");
      expect(moves.length).toBeGreaterThanOrEqual(1);
      for (let i = 1; i < moves.length; i++) expect(moves[i].data.fromStageId).toBe(moves[i - 1].data.toStageId);
      expect(bodies.every((b, i) => i === 0 || b.triggeredAt > bodies[i - 1].triggeredAt)).toBe(true);
    }
    const all = histories.flatMap(providerEventsOf);
    for (const event of ["candidateHired", "candidateArchiveChange", "candidateDeleted"]) expect(all, event).toContain(event);
    const types = new Set(histories.flatMap((h) => h.deliveries.map((d) => d.expected.type)));
    expect([...types].sort()).toEqual(["applied", "deleted", "hired", "rejected", "stage_changed", "unrejected"]);
  });
});
