import { describe, expect, it } from "vitest";
import { buildHistories, type CandidateHistory } from "../../simulator/build-histories";

const build = (seed: number, candidates: number) => buildHistories({ provider: "greenhouse", candidates, seed });
const providerEventsOf = (h: CandidateHistory) => h.deliveries.map((d) => d.expected.providerEvent);

describe("simulated greenhouse histories", () => {
  it("one application and job per history, the documented path, and a hire or rejection at the end", () => {
    const histories = build(7, 40);
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

});
