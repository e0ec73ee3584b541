import { describe, expect, it } from "vitest";
import { postgresSafe, postgresSafeString } from "./postgres-safe";

describe("postgresSafe", () => {
  it("replaces U+0000 and lone surrogates with U+FFFD and leaves everything else alone", () => {
    expect(postgresSafeString("a\u0000b")).toBe("a\uFFFDb");
    expect(postgresSafeString("x\ud800y")).toBe("x\uFFFDy");
    expect(postgresSafeString("emoji 😀 and עברית")).toBe("emoji 😀 and עברית");
  });

  it("walks objects and arrays, keys included, keeps dates, and keeps __proto__ as plain data", () => {
    const when = new Date("2026-01-01T00:00:00Z");
    const input = JSON.parse('{"n\\u0000ame": ["ok", "bad\\u0000"], "__proto__": {"polluted": "\\ud800"}, "n": 1}');
    const out = postgresSafe({ ...input, when, __proto__x: null });
    expect(out["n\uFFFDame"]).toEqual(["ok", "bad\uFFFD"]);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toEqual({ polluted: "\uFFFD" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(out.when).toBe(when);
    expect(out.n).toBe(1);
  });
});
