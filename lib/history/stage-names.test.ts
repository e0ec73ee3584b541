import { describe, expect, it } from "vitest";
import { stageNamer, storedStageNames } from "./stage-names";

describe("stage names (the one naming rule)", () => {
  const nameStage = stageNamer([
    { endpointId: "ep-a", provider: "lever", stageId: "s1", name: "Phone screen" },
    { endpointId: "ep-b", provider: "lever", stageId: "s1", name: "Screen (b)" },
    { endpointId: "ep-b", provider: "lever", stageId: "s2", name: "Onsite" },
    { endpointId: "ep-c", provider: "greenhouse", stageId: "s3", name: "Greenhouse only" },
  ]);

  it("the event's own endpoint's name first, then the same provider's other endpoints (first row wins), else the stored id", () => {
    expect(nameStage("s1", { provider: "lever", endpointId: "ep-a" })).toBe("Phone screen");
    expect(nameStage("s1", { provider: "lever", endpointId: "ep-b" })).toBe("Screen (b)");
    expect(nameStage("s2", { provider: "lever", endpointId: "ep-a" })).toBe("Onsite");
    expect(nameStage("s1", { provider: "lever" })).toBe("Phone screen");
    expect(nameStage("s3", { provider: "lever", endpointId: "ep-a" })).toBe("s3");
    expect(nameStage("unnamed", { provider: "lever", endpointId: "ep-a" })).toBe("unnamed");
    expect(nameStage(null, { provider: "lever", endpointId: "ep-a" })).toBeNull();
  });

  it("read with no provider (a figure over every provider): any endpoint's name, the first row winning", () => {
    expect(nameStage("s1", {})).toBe("Phone screen");
    expect(nameStage("s3", {})).toBe("Greenhouse only");
    expect(nameStage("unnamed", {})).toBe("unnamed");
  });

  it("no names: stages read as stored", () => {
    expect(stageNamer([])).toBe(storedStageNames);
    expect(storedStageNames("s1", { provider: "lever" })).toBe("s1");
  });
});
