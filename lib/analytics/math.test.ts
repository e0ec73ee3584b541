import { describe, expect, it } from "vitest";
import { analyticsBounds, analyticsQuerySchema } from "../contracts/analytics";
import { HttpError } from "../http/errors";
import { analyticsError } from "./service";
import { conversion, flowWindow, formatShare, percentile, weekOf, weekRange } from "./math";

describe("percentile (as PostgreSQL's percentile_cont)", () => {
  it("interpolates linearly between the closest ranks", () => {
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1);
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([], 0.5)).toBeNull();
  });
  it("does not depend on the input's order and leaves it alone", () => {
    const values = [40, 10, 30, 20];
    expect(percentile(values, 0.5)).toBe(25);
    expect(values).toEqual([40, 10, 30, 20]);
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([3, 1, 2], 1)).toBe(3);
  });
});

describe("conversion", () => {
  it("is the share that went on, four decimals; null when nobody reached the stage", () => {
    expect(conversion(1, 3)).toBe(0.3333);
    expect(conversion(0, 5)).toBe(0);
    expect(conversion(5, 5)).toBe(1);
    expect(conversion(0, 0)).toBeNull();
  });
  it("formats as a percentage", () => {
    expect(formatShare(0.3333)).toBe("33.3%");
    expect(formatShare(null)).toBe("–");
  });
});

describe("weeks", () => {
  it("start on Monday, UTC", () => {
    expect(weekOf("2026-12-02T23:59:59Z")).toBe("2026-11-30"); // a Wednesday
    expect(weekOf("2026-11-30T00:00:00Z")).toBe("2026-11-30");
    expect(weekOf("2026-12-06T23:59:59.999Z")).toBe("2026-11-30"); // Sunday
    expect(weekOf(new Date("2026-12-07T00:00:00Z"))).toBe("2026-12-07");
  });
  it("are filled from the first to the last, at most the last `max`", () => {
    expect(weekRange(["2026-12-14", "2026-11-30"])).toEqual(["2026-11-30", "2026-12-07", "2026-12-14"]);
    expect(weekRange([])).toEqual([]);
    expect(weekRange(["2026-01-05", "2026-12-28"], 2)).toEqual(["2026-12-21", "2026-12-28"]);
  });
});

describe("the query's dates", () => {
  it("take a bare `to` day whole and a time as it is", () => {
    const q = analyticsQuerySchema.parse({ from: "2026-11-01", to: "2026-11-30" });
    expect(analyticsBounds(q)).toEqual({ from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") });
    const t = analyticsQuerySchema.parse({ to: "2026-11-30T12:00:00+01:00" });
    expect(analyticsBounds(t).to).toEqual(new Date("2026-11-30T11:00:00Z"));
    expect(() => analyticsQuerySchema.parse({ from: "last week" })).toThrow();
  });
});

describe("a statement past its time limit", () => {
  it("answers 503 with what to do; other errors pass through", () => {
    const mapped = analyticsError(Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" }));
    expect(mapped).toBeInstanceOf(HttpError);
    expect((mapped as HttpError).status).toBe(503);
    expect((mapped as HttpError).message).toMatch(/pick one job/);
    const other = new Error("boom");
    expect(analyticsError(other)).toBe(other);
  });
});

describe("flowWindow (whole start weeks from the rollup, cut weeks read directly)", () => {
  const d = (s: string) => new Date(s);
  it("reads whole weeks from the rollup and the cut parts of the edge weeks directly", () => {
    // Wed 2025-01-08 15:00 → Thu 2025-02-06 00:00: whole weeks 2025-01-13 … 2025-01-27 (until the Monday 2025-02-03).
    expect(flowWindow(d("2025-01-08T15:00:00Z"), d("2025-02-06T00:00:00Z"))).toEqual({
      rollup: true,
      fromWeek: d("2025-01-13T00:00:00Z"),
      toWeek: d("2025-02-03T00:00:00Z"),
      edges: [
        [d("2025-01-08T15:00:00Z"), d("2025-01-13T00:00:00Z")],
        [d("2025-02-03T00:00:00Z"), d("2025-02-06T00:00:00Z")],
      ],
    });
  });
  it("has no edge where a bound is a Monday 00:00 UTC, or absent", () => {
    expect(flowWindow(d("2025-01-13T00:00:00Z"), d("2025-02-03T00:00:00Z"))).toEqual({ rollup: true, fromWeek: d("2025-01-13T00:00:00Z"), toWeek: d("2025-02-03T00:00:00Z"), edges: [] });
    expect(flowWindow(null, null)).toEqual({ rollup: true, fromWeek: null, toWeek: null, edges: [] });
    expect(flowWindow(d("2025-01-13T00:00:00.001Z"), null)).toEqual({ rollup: true, fromWeek: d("2025-01-20T00:00:00Z"), toWeek: null, edges: [[d("2025-01-13T00:00:00.001Z"), d("2025-01-20T00:00:00Z")]] });
    expect(flowWindow(null, d("2025-01-19T23:59:59.999Z"))).toEqual({ rollup: true, fromWeek: null, toWeek: d("2025-01-13T00:00:00Z"), edges: [[d("2025-01-13T00:00:00Z"), d("2025-01-19T23:59:59.999Z")]] });
  });
  it("reads a window without a whole week directly, whole", () => {
    expect(flowWindow(d("2025-01-14T10:00:00Z"), d("2025-01-17T00:00:00Z"))).toEqual({ rollup: false, fromWeek: null, toWeek: null, edges: [[d("2025-01-14T10:00:00Z"), d("2025-01-17T00:00:00Z")]] });
    // Across a Monday but holding no whole week: two cut weeks, read directly.
    expect(flowWindow(d("2025-01-16T00:00:00Z"), d("2025-01-22T00:00:00Z")).rollup).toBe(false);
    // Exactly one week.
    expect(flowWindow(d("2025-01-13T00:00:00Z"), d("2025-01-20T00:00:00Z"))).toEqual({ rollup: true, fromWeek: d("2025-01-13T00:00:00Z"), toWeek: d("2025-01-20T00:00:00Z"), edges: [] });
  });
});
