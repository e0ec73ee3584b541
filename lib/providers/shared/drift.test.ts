import { describe, expect, it } from "vitest";
import { z } from "zod";
import { findUnknownKeys } from "./drift";

describe("findUnknownKeys", () => {
  const schema = z.looseObject({
    id: z.number(),
    meta: z.record(z.string(), z.unknown()),
    items: z.array(z.looseObject({ id: z.number(), status: z.looseObject({ label: z.string() }).nullable() })).optional(),
  });

  it("lists keys the schema does not declare, at any depth, with readable paths", () => {
    const value = {
      id: 1,
      extra: true,
      meta: { anything: 1 },
      items: [{ id: 1, colour: "red", status: { label: "x", since: "now" } }, { id: 2, status: null }],
    };
    expect(findUnknownKeys(schema, value)).toEqual(["extra", "items[].colour", "items[].status.since"]);
  });

  it("reports nothing for a value that matches the schema exactly", () => {
    expect(findUnknownKeys(schema, { id: 1, meta: {}, items: [] })).toEqual([]);
  });

  it("applies a prefix to every path", () => {
    expect(findUnknownKeys(schema, { id: 1, meta: {}, x: 1 }, "payload")).toEqual(["payload.x"]);
  });
});
