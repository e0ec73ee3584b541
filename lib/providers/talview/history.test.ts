import { describe, expect, it } from "vitest";
import { talviewBenchSizes, talviewSizedSnapshot, talviewSizedUpdate } from "../../../bench/diff.bench";
import { diffSnapshots, meaningfulChanges } from "../../history/diff";
import { talviewHistory } from "./history";

const audit = { created_at: "t0", created_by: 1, updated_at: "t0", updated_by: 1 };

describe("talviewHistory", () => {
  it("keys every documented subordinate array by id, technologies inside projects too", () => {
    const before = {
      ...audit,
      projects: [{ id: 3, title: "Ledger", ...audit, technologies: [{ id: 9, technology: "Go", ...audit }, { id: 10, technology: "SQL", ...audit }] }],
      skill_proficiencies: [{ id: 1, skill_id: 5, proficiency: "3", ...audit }, { id: 2, skill_id: 6, proficiency: "2", ...audit }],
    };
    const after = structuredClone(before);
    after.updated_at = "t1";
    after.projects[0].updated_at = "t1";
    after.projects[0].technologies.reverse();
    after.projects[0].technologies[1].technology = "Rust";
    after.projects[0].technologies[1].updated_by = 2;
    after.skill_proficiencies.reverse();
    expect(diffSnapshots(before, after, talviewHistory).map((c) => [c.path, c.kind, c.noise])).toEqual([
      ["updated_at", "changed", true],
      ["projects[id=3].updated_at", "changed", true],
      ["projects[id=3].technologies[id=9].technology", "changed", false],
      ["projects[id=3].technologies[id=9].updated_by", "changed", true],
    ]);
  });

  it("JSONB fields (cf, meta, evidence_snippet, location, responsibilities) get the default strategies", () => {
    const before = { cf: { level: "L4" }, experiences: [{ id: 1, responsibilities: ["a", "b"], tools_used: [{ name: "Go" }] }] };
    const after = { cf: { level: "L5", team: "core" }, experiences: [{ id: 1, responsibilities: ["b", "a", "c"], tools_used: [{ name: "Zig" }] }] };
    expect(diffSnapshots(before, after, talviewHistory).map((c) => [c.path, c.kind])).toEqual([
      ["cf.level", "changed"],
      ["cf.team", "added"],
      ["experiences[id=1].responsibilities[]", "added"],
      ["experiences[id=1].tools_used[0].name", "changed"],
    ]);
  });

  it("diffs a Talview-size snapshot (every array filled, ~50 KB) to the exact 20 meaningful changes", () => {
    const before = talviewSizedSnapshot();
    const size = Buffer.byteLength(JSON.stringify(before));
    expect(size).toBeGreaterThan(45_000);
    expect(size).toBeLessThan(60_000);
    for (const key of Object.keys(talviewBenchSizes).filter((k) => k !== "technologiesPerProject")) {
      expect((before[key] as unknown[]).length, key).toBeGreaterThan(0);
    }
    const { after, expected } = talviewSizedUpdate(before);
    const changes = diffSnapshots(before, after, talviewHistory);
    expect(meaningfulChanges(changes).map((c) => c.path)).toEqual(expected);
    expect(changes.filter((c) => c.noise).every((c) => /(^|\.)updated_(at|by)$/.test(c.path))).toBe(true);
    // Deterministic, and the generator is too.
    expect(diffSnapshots(talviewSizedSnapshot(), talviewSizedUpdate(talviewSizedSnapshot()).after, talviewHistory)).toEqual(changes);
    expect(diffSnapshots(before, structuredClone(before), talviewHistory)).toEqual([]);
  });
});
