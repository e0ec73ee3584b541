import { describe, expect, it } from "vitest";
import { buildHistories } from "../../simulator/build-histories";

const build = (seed: number, candidates: number) => buildHistories({ provider: "idibu", candidates, seed });


describe("simulated idibu histories", () => {
  it("vacancy status moves Applicants → Shortlisted → … and the timestamp increases", () => {
    const histories = build(7, 40);
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

});
