import { describe, expect, it } from "vitest";
import { buildHistories } from "../../simulator/build-histories";

const build = (seed: number, candidates: number) => buildHistories({ provider: "outhire", candidates, seed });


describe("simulated outhire histories", () => {
  it("applied, then stage changes chained previous → new, by user, joel or api, occurred_at increasing", () => {
    const histories = build(7, 40);
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

});
