import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_DRIFT_NOTES, findUnknownKeys, formatDriftNotes, neededDriftProblem, parseDriftNote, parseTolerant } from "./drift";

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

describe("parseTolerant", () => {
  const schema = z.looseObject({
    id: z.union([z.number(), z.string()]),
    name: z.string().nullish(),
    score: z.number().nullish(),
    tags: z.array(z.string()).nullish(),
    office: z.looseObject({ location: z.string().nullish() }).nullish(),
    custom_fields: z.record(z.string(), z.unknown()).nullish(),
  });

  it("accepts values of another JSON type where the key may be missing, noting path, documented and received type", () => {
    const value = { id: 7, name: 5, score: "85", tags: ["a", 1], office: { location: { name: "NYC" } }, custom_fields: [] };
    const parsed = parseTolerant(schema, value, "candidate");
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.data).toEqual({ id: 7, tags: ["a"], office: {} });
    expect(formatDriftNotes(parsed.notes)).toEqual([
      "candidate.custom_fields: documented object or null, received array",
      "candidate.name: documented string or null, received number",
      "candidate.office.location: documented string or null, received object",
      "candidate.score: documented number or null, received string",
      "candidate.tags[]: documented string, received number",
    ]);
    // The input itself is never changed: snapshots keep what was received.
    expect(value.office.location).toEqual({ name: "NYC" });
  });

  it("leaves a required value of another type to the schema's own check", () => {
    const parsed = parseTolerant(schema, { id: { nested: true } });
    expect(parsed.success).toBe(false);
    expect(parsed.notes).toEqual([{ path: "id", documented: "number or string", received: "object" }]);
  });

  it("fails only on a note at or inside a path the history needs", () => {
    const notes = parseTolerant(schema, { id: 1, name: 5, office: { location: 3 } }).notes;
    expect(neededDriftProblem(notes, ["office.location"])).toBe("office.location is number, documented as string or null; the history needs it");
    expect(neededDriftProblem(notes, ["office"])).toContain("office.location");
    expect(neededDriftProblem(notes, ["score"])).toBeNull();
  });

  it("reads stored notes back into their parts, old bare paths included", () => {
    expect(parseDriftNote("a.b: documented string, received object")).toEqual({ path: "a.b", documented: "string", received: "object" });
    expect(parseDriftNote("vacancies[].status.colour")).toEqual({ path: "vacancies[].status.colour", documented: null, received: "undocumented key" });
  });
});

describe("formatDriftNotes", () => {
  it("keeps a delivery's notes bounded however many unknown keys a body carries", () => {
    const body = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i]));
    const notes = formatDriftNotes(parseTolerant(z.looseObject({}), body).notes);
    expect(notes).toHaveLength(MAX_DRIFT_NOTES);
    expect(notes.at(-1)).toBe(`(${5_000 - MAX_DRIFT_NOTES + 1} more notes not listed)`);
  });
});
