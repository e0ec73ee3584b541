import { describe, expect, it } from "vitest";
import { BUSY_PER_SECOND, countIngested, ingestBusy } from "./ingest-load";

describe("ingest load", () => {
  it("is busy while deliveries come faster than the threshold, and idle again two quiet seconds later", () => {
    const t0 = 1_000_000;
    expect(ingestBusy(t0)).toBe(false);
    for (let i = 0; i < BUSY_PER_SECOND - 1; i++) countIngested(t0 + i);
    expect(ingestBusy(t0 + 100)).toBe(false);
    countIngested(t0 + 200);
    expect(ingestBusy(t0 + 300)).toBe(true);
    // The next second still remembers the busy one.
    expect(ingestBusy(t0 + 1_500)).toBe(true);
    expect(ingestBusy(t0 + 3_100)).toBe(false);
  });
});
