import { describe, expect, it } from "vitest";
import { diffSnapshots } from "../../history/diff";
import { outhireHistory } from "./history";

describe("outhireHistory", () => {
  it("flags the expiring resume_url as noise and diffs the rest field by field", () => {
    const before = { id: 123, name: "Jane Doe", fit_score: null, resume_url: "https://signed/1", resume_data: { skills: ["Sales", "CRM"] } };
    const after = { id: 123, name: "Jane Doe", fit_score: 82, resume_url: "https://signed/2", resume_data: { skills: ["CRM", "Sales", "SaaS"] } };
    expect(diffSnapshots(before, after, outhireHistory).map((c) => [c.path, c.kind, c.before, c.after, c.noise])).toEqual([
      ["fit_score", "changed", null, 82, false],
      ["resume_url", "changed", "https://signed/1", "https://signed/2", true],
      ["resume_data.skills[]", "added", undefined, "SaaS", false],
    ]);
  });
});
