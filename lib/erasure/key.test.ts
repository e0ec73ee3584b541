import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { erasureKeyHash } from "./key";

describe("erasureKeyHash", () => {
  it("is a keyed hash: stable, per provider, and not a plain hash anyone could recompute from an id", () => {
    const h = erasureKeyHash("greenhouse", "123");
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(erasureKeyHash("greenhouse", "123")).toBe(h);
    expect(erasureKeyHash("lever", "123")).not.toBe(h);
    expect(erasureKeyHash("greenhouse", "1234")).not.toBe(h);
    for (const text of ["greenhouse\n123", "greenhouse:123", "123"]) expect(createHash("sha256").update(text).digest("hex")).not.toBe(h);
  });
});
