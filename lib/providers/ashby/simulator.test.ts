import { describe, expect, it } from "vitest";
import { buildHistories } from "../../simulator/build-histories";

describe("simulated ashby histories", () => {
  it("applicationSubmit in the first stage, stage changes upward, full application snapshots with a later updatedAt, then hired with an offer or archived (sometimes un-archived)", () => {
    const histories = buildHistories({ provider: "ashby", candidates: 40, seed: 7 });
    for (const h of histories) {
      const bodies = h.deliveries.map((d) => JSON.parse(d.body.toString("utf8")));
      expect(bodies[0].action).toBe("applicationSubmit");
      expect(bodies[0].data.application.currentInterviewStage.orderInInterviewPlan).toBe(0);
      const withApp = bodies.filter((b) => b.data.application);
      expect(withApp.every((b) => b.data.application.candidate.id === h.candidateId)).toBe(true);
      const times = withApp.map((b) => Date.parse(b.data.application.updatedAt));
      expect(times.every((t, i) => i === 0 || t > times[i - 1])).toBe(true);
      expect(new Set(bodies.map((b) => b.webhookActionId)).size).toBe(bodies.length);
      for (const b of bodies.filter((x) => x.action === "candidateHire")) expect(b.data.offer.acceptanceStatus).toBe("Accepted");
    }
    // Some archives are undone: a stage change right after the archive, Active again.
    const unarchived = histories.filter((h) => {
      const bodies = h.deliveries.map((d) => JSON.parse(d.body.toString("utf8")));
      const archived = bodies.findIndex((b) => b.data.application?.status === "Archived");
      return archived >= 0 && bodies[archived + 1]?.action === "candidateStageChange" && bodies[archived + 1].data.application.status === "Active";
    });
    expect(unarchived.length).toBeGreaterThan(0);
    const types = new Set(histories.flatMap((h) => h.deliveries.map((d) => d.expected.type)));
    expect([...types].sort()).toEqual(["applied", "deleted", "hired", "rejected", "stage_changed", "updated"]);
  });
});
