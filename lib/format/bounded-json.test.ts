import { describe, expect, it } from "vitest";
import { formatBodyForDisplay, formatDeliveryError, BODY_DISPLAY_MAX_BYTES } from "./body-display";
import { formatBoundedJson, measureDepth } from "./bounded-json";

/** JSON text nested `levels` deep, alternating objects and arrays (JSON.stringify's recursion cannot build it). */
function nestedText(levels: number): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < levels; i++) {
    open.push(i % 2 ? '{"a":' : "[");
    close.push(i % 2 ? "}" : "]");
  }
  return `${open.join("")}"bottom"${close.reverse().join("")}`;
}

describe("formatBoundedJson", () => {
  const samples: unknown[] = [
    null,
    0,
    -1.5e-7,
    "a \"quoted\"\n\u2028 string",
    [],
    {},
    [1, [2, [3, {}]], { a: [] }],
    { b: { c: [true, false, null], "weird key\"": "x" }, d: "é", e: [{ f: 1 }, { g: [1, 2] }] },
    { skipped: undefined, kept: 1, arr: [undefined, 2] },
  ];

  it("equals JSON.stringify when nothing is clipped, pretty and compact", () => {
    for (const value of samples) {
      expect(formatBoundedJson(value, { maxDepth: 10, maxChars: 10_000 })).toEqual({ text: JSON.stringify(value, null, 2), clipped: false, truncated: false, collapsed: false });
      expect(formatBoundedJson(value, { maxDepth: 10, maxChars: 10_000, indent: 0 })).toEqual({ text: JSON.stringify(value), clipped: false, truncated: false, collapsed: false });
    }
  });

  it("collapses containers below the depth cap into a marker that says how deep they go", () => {
    const out = formatBoundedJson({ a: { b: { c: { d: 1 } } }, e: [] }, { maxDepth: 2, maxChars: 10_000 });
    expect(out).toMatchObject({ clipped: true, truncated: false, collapsed: true });
    expect(out.text).toBe('{\n  "a": {\n    "b": {… 2 levels deeper}\n  },\n  "e": []\n}');
    expect(formatBoundedJson([[[1]]], { maxDepth: 1, maxChars: 100, indent: 0 }).text).toBe("[[… 2 levels deeper]]");
  });

  it("keeps a body nested 5,000 levels small, and survives 500,000 levels", () => {
    const body = nestedText(5_000);
    expect(body.length).toBeLessThan(30_000);
    const out = formatBoundedJson(JSON.parse(body), { maxDepth: 32, maxChars: 1_000_000 });
    expect(out.clipped).toBe(true);
    expect(out.text.length).toBeLessThan(4_000);
    expect(out.text).toContain("… 4968 levels deeper");

    const deep = "[".repeat(500_000) + "]".repeat(500_000);
    expect(measureDepth(JSON.parse(deep))).toBe(500_000);
    expect(formatBoundedJson(JSON.parse(deep), { maxDepth: 3, maxChars: 1_000, indent: 0 }).text).toBe("[[[[]]]]".replace("[]", "[… 499997 levels deeper]"));
  });

  it("stops at maxChars", () => {
    const wide = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i]));
    const out = formatBoundedJson(wide, { maxDepth: 10, maxChars: 5_000 });
    expect(out).toMatchObject({ clipped: true, truncated: true, collapsed: false });
    expect(out.text.length).toBe(5_000);
    expect(JSON.stringify(wide, null, 2).startsWith(out.text)).toBe(true);
  });
});

describe("formatBodyForDisplay", () => {
  it("pretty-prints JSON exactly as before for normal bodies; shows other text as received", () => {
    const body = JSON.stringify({ id: 1, tags: ["a"], nested: { x: null } });
    expect(formatBodyForDisplay(body, body.length)).toEqual({ text: JSON.stringify(JSON.parse(body), null, 2), json: true, clipped: false, truncated: false, collapsed: false, prettyCut: false });
    expect(formatBodyForDisplay("a=1&b=2", 7)).toEqual({ text: "a=1&b=2", json: false, clipped: false, truncated: false, collapsed: false, prettyCut: false });
  });

  it("cuts a body over 256 KiB without parsing it", () => {
    const big = JSON.stringify({ blob: "x".repeat(400_000) });
    const out = formatBodyForDisplay(big, big.length);
    expect(out).toMatchObject({ json: false, clipped: true, truncated: true, collapsed: false, prettyCut: false });
    expect(out.text).toBe(big.slice(0, BODY_DISPLAY_MAX_BYTES));
  });

  it("says which bound applied: collapsed nesting, or a pretty print cut for length", () => {
    const deep = JSON.stringify({ a: { b: { c: 1 } } });
    expect(formatBodyForDisplay(deep, deep.length)).toMatchObject({ json: true, clipped: false });
    const deepest = "[".repeat(40) + "]".repeat(40);
    expect(formatBodyForDisplay(deepest, deepest.length)).toMatchObject({ json: true, clipped: true, collapsed: true, prettyCut: false });
    // ~250 KB of 30-level arrays: each line indented up to 60 spaces, so the pretty print outgrows its bound.
    const unit = "[".repeat(30) + "0" + "]".repeat(30);
    const wide = `[${Array.from({ length: 4_000 }, () => unit).join(",")}]`;
    expect(wide.length).toBeLessThan(BODY_DISPLAY_MAX_BYTES);
    expect(formatBodyForDisplay(wide, wide.length)).toMatchObject({ json: true, clipped: true, collapsed: false, prettyCut: true });
  });
});

describe("formatDeliveryError", () => {
  it("shows a short error whole and the start of a long one with its length", () => {
    expect(formatDeliveryError("Talview body is not a JSON object.")).toBe("Talview body is not a JSON object.");
    const long = "education.0: expected object; ".repeat(10_000);
    expect(formatDeliveryError(long)).toBe(`${long.slice(0, 2_000)}… (${long.length.toLocaleString("en-GB")} characters)`);
  });
});
