import { describe, expect, it } from "vitest";
import { BodyBudget } from "./body-budget";
import { ConnectionErrorLog } from "./connection-log";

describe("BodyBudget", () => {
  it("holds at most its limit, keeping a share for bodies that declared a small length", () => {
    const budget = new BodyBudget(800, 64, 100);
    expect(budget.take(700, false)).toBe(true);
    expect(budget.take(1, false)).toBe(false); // large bodies stop at limit − reserve
    expect(budget.take(100, true)).toBe(true); // small ones may use the reserve
    expect(budget.take(1, true)).toBe(false);
    budget.release(700);
    expect(budget.inFlight).toBe(100);
    expect(budget.take(600, false)).toBe(true);
    budget.release(10_000);
    expect(budget.inFlight).toBe(0);
  });
});

describe("ConnectionErrorLog", () => {
  it("writes one summary per interval, however many errors", async () => {
    const written: Record<string, number>[] = [];
    const log = new ConnectionErrorLog(50, (counts) => written.push(counts));
    for (let i = 0; i < 300; i++) log.note(i % 3 === 0 ? "ECONNRESET" : "webhook upload aborted");
    expect(written).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(written).toEqual([{ ECONNRESET: 100, "webhook upload aborted": 200 }]);
    log.flush();
    expect(written).toHaveLength(1);
  });
});
