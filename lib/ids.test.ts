import { describe, expect, it } from "vitest";
import { newId } from "./ids";

describe("newId", () => {
  it("prefixed, URL-safe, 96 random bits, and no repeats across many refills of the random pool", () => {
    const ids = Array.from({ length: 20_000 }, () => newId("dlv"));
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^dlv_[A-Za-z0-9_-]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(4, 8))).size).toBeGreaterThan(19_000);
  });

  it("endpoint ids and webhook URL tokens carry at least 144 bits; a request larger than the pool still works", () => {
    expect(newId("ep")).toMatch(/^ep_[A-Za-z0-9_-]{24}$/);
    expect(newId("ep", 32)).toMatch(/^ep_[A-Za-z0-9_-]{43}$/);
    expect(newId("whk")).toMatch(/^whk_[A-Za-z0-9_-]{24}$/);
    expect(newId("evt", 6000).length).toBe(4 + 8000);
  });
});
