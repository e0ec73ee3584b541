import { describe, expect, it } from "vitest";
import { diffSnapshots, meaningfulChanges, parsePattern } from "./diff";
import type { Change, HistoryConfig } from "./types";

const none: HistoryConfig = { arrayKeys: {}, noise: [] };

/** Compact form for exact assertions: [path, kind, before, after] (+ noise flag when true). */
function compact(changes: Change[]): unknown[][] {
  return changes.map((c) => (c.noise ? [c.path, c.kind, c.before, c.after, "noise"] : [c.path, c.kind, c.before, c.after]));
}

function diff(before: unknown, after: unknown, config: HistoryConfig = none): unknown[][] {
  return compact(diffSnapshots(before, after, config));
}

describe("objects, scalars, null vs missing", () => {
  it("reports nothing for equal snapshots, including different key order", () => {
    expect(diffSnapshots({ a: 1, b: { c: [1, 2], d: null } }, { b: { d: null, c: [2, 1] }, a: 1 }, none)).toEqual([]);
  });

  it("walks objects key by key", () => {
    expect(diff({ name: "Jane", status: { id: 11, label: "Applicants" } }, { name: "Jane", status: { id: 14, label: "Shortlisted" } })).toEqual([
      ["status.id", "changed", 11, 14],
      ["status.label", "changed", "Applicants", "Shortlisted"],
    ]);
  });

  it("tells missing from null", () => {
    expect(diff({ a: null, b: "x", c: "y" }, { a: "now", b: null, d: null })).toEqual([
      ["a", "changed", null, "now"],
      ["b", "changed", "x", null],
      ["c", "removed", "y", undefined],
      ["d", "added", undefined, null],
    ]);
  });

  it("sets before/after to undefined on the missing side (and keeps both keys)", () => {
    const [added] = diffSnapshots({}, { a: 1 }, none);
    expect(added).toStrictEqual({ path: "a", kind: "added", before: undefined, after: 1, noise: false });
  });

  it("treats an own key holding undefined as missing", () => {
    expect(diff({ a: undefined, b: 1 }, { a: 2, b: undefined })).toEqual([
      ["b", "removed", 1, undefined],
      ["a", "added", undefined, 2],
    ]);
  });

  it("reports a type change once, with whole values, without recursing", () => {
    expect(diff({ a: "x", b: [1, 2], c: { d: 1 }, e: { f: 1 }, g: 0 }, { a: { x: 1 }, b: 3, c: [{ d: 1 }], e: null, g: "0" })).toEqual([
      ["a", "changed", "x", { x: 1 }],
      ["b", "changed", [1, 2], 3],
      ["c", "changed", { d: 1 }, [{ d: 1 }]],
      ["e", "changed", { f: 1 }, null],
      ["g", "changed", 0, "0"],
    ]);
  });

  it("diffs a missing previous snapshot as one root addition, and root type changes at path ''", () => {
    expect(diff(undefined, { a: 1 })).toEqual([["", "added", undefined, { a: 1 }]]);
    expect(diff({ a: 1 }, undefined)).toEqual([["", "removed", { a: 1 }, undefined]]);
    expect(diff(undefined, undefined)).toEqual([]);
    expect(diff(null, { a: 1 })).toEqual([["", "changed", null, { a: 1 }]]);
    expect(diff("x", "y")).toEqual([["", "changed", "x", "y"]]);
  });

  it("writes awkward keys as JSON strings in brackets", () => {
    expect(diff({ cf: { "Notice period": "1m", "a.b": 1, "": 0, "payload-information": 1, "0": "z" } }, {
      cf: { "Notice period": "2m", "a.b": 2, "": 1, "payload-information": 2, "0": "y" },
    })).toEqual([
      ["cf.0", "changed", "z", "y"],
      ['cf["Notice period"]', "changed", "1m", "2m"],
      ['cf["a.b"]', "changed", 1, 2],
      ['cf[""]', "changed", 0, 1],
      ["cf.payload-information", "changed", 1, 2],
    ]);
  });
});

describe("arrays: default strategies", () => {
  it("matches records by id, ignoring order", () => {
    const before = { vacancies: [{ id: 1, s: "a" }, { id: 2, s: "b" }, { id: 3, s: "c" }] };
    const after = { vacancies: [{ id: 4, s: "d" }, { id: 3, s: "c" }, { id: 1, s: "A" }] };
    expect(diff(before, after)).toEqual([
      ["vacancies[id=1].s", "changed", "a", "A"],
      ["vacancies[id=2]", "removed", { id: 2, s: "b" }, undefined],
      ["vacancies[id=4]", "added", undefined, { id: 4, s: "d" }],
    ]);
  });

  it("falls back to external_id when some record has no id", () => {
    const before = [{ external_id: "x1", v: 1 }, { id: 7, external_id: "x2", v: 2 }];
    const after = [{ id: 7, external_id: "x2", v: 3 }, { external_id: "x1", v: 1 }];
    expect(diff({ rows: before }, { rows: after })).toEqual([["rows[external_id=x2].v", "changed", 2, 3]]);
  });

  it("does not take a null id as an identity", () => {
    const before = [{ id: null, external_id: "a", v: 1 }];
    const after = [{ id: null, external_id: "a", v: 2 }];
    expect(diff({ rows: before }, { rows: after })).toEqual([["rows[external_id=a].v", "changed", 1, 2]]);
  });

  it("falls back to position for records without identity", () => {
    const before = { educations: [{ degree: "BSc", school: "A" }, { degree: "MSc", school: "B" }] };
    const after = { educations: [{ degree: "BA", school: "A" }, { degree: "MSc", school: "B" }, { degree: "PhD", school: "C" }] };
    expect(diff(before, after)).toEqual([
      ["educations[0].degree", "changed", "BSc", "BA"],
      ["educations[2]", "added", undefined, { degree: "PhD", school: "C" }],
    ]);
    expect(diff(after, before)).toEqual([
      ["educations[0].degree", "changed", "BA", "BSc"],
      ["educations[2]", "removed", { degree: "PhD", school: "C" }, undefined],
    ]);
  });

  it("compares scalar arrays as multisets: order is not a change, elements at path[]", () => {
    expect(diff({ tags: ["a", "b", "c"] }, { tags: ["c", "a", "b"] })).toEqual([]);
    expect(diff({ tags: ["a", "b", "c"] }, { tags: ["d", "c", "a"] })).toEqual([
      ["tags[]", "removed", "b", undefined],
      ["tags[]", "added", undefined, "d"],
    ]);
    // Duplicates count; scalars compare by type.
    expect(diff({ tags: ["a", "a", 1] }, { tags: ["a", "1", 1] })).toEqual([
      ["tags[]", "removed", "a", undefined],
      ["tags[]", "added", undefined, "1"],
    ]);
    // An empty side still decides by the other side's elements.
    expect(diff({ tags: [] }, { tags: ["x", null] })).toEqual([
      ["tags[]", "added", undefined, "x"],
      ["tags[]", "added", undefined, null],
    ]);
  });

  it("uses position for mixed arrays and arrays of arrays", () => {
    expect(diff({ m: [1, { a: 1 }] }, { m: [1, { a: 2 }] })).toEqual([["m[1].a", "changed", 1, 2]]);
    expect(diff({ m: [[1, 2], [3]] }, { m: [[2, 1], [4]] })).toEqual([
      ["m[1][]", "removed", 3, undefined],
      ["m[1][]", "added", undefined, 4],
    ]);
  });

  it("pairs id 5 and id '5' as the same record and reports the id's type change", () => {
    expect(diff({ rows: [{ id: 5, v: 1 }] }, { rows: [{ id: "5", v: 1 }] })).toEqual([["rows[id=5].id", "changed", 5, "5"]]);
  });
});

describe("arrays: configured strategies", () => {
  it("ordered: compares by position, also for scalars", () => {
    const config: HistoryConfig = { arrayKeys: { steps: "ordered", rows: "ordered" }, noise: [] };
    expect(diff({ steps: ["a", "b", "c"] }, { steps: ["a", "c", "b", "d"] }, config)).toEqual([
      ["steps[1]", "changed", "b", "c"],
      ["steps[2]", "changed", "c", "b"],
      ["steps[3]", "added", undefined, "d"],
    ]);
    expect(diff({ rows: [{ id: 1 }, { id: 2 }] }, { rows: [{ id: 2 }, { id: 1 }] }, config)).toEqual([
      ["rows[0].id", "changed", 1, 2],
      ["rows[1].id", "changed", 2, 1],
    ]);
  });

  it("set: records are compared whole, regardless of key order", () => {
    const config: HistoryConfig = { arrayKeys: { links: "set" }, noise: [] };
    const before = { links: [{ url: "a", kind: "x" }, { url: "b", kind: "y" }] };
    expect(diff(before, { links: [{ kind: "y", url: "b" }, { url: "a", kind: "x" }] }, config)).toEqual([]);
    expect(diff(before, { links: [{ url: "a", kind: "x" }, { url: "b", kind: "z" }] }, config)).toEqual([
      ["links[]", "removed", { url: "b", kind: "y" }, undefined],
      ["links[]", "added", undefined, { url: "b", kind: "z" }],
    ]);
  });

  it("composite keys: both parts in the selector; a changed part is a different record", () => {
    const config: HistoryConfig = { arrayKeys: { email_addresses: ["value", "type"] }, noise: [] };
    const before = { email_addresses: [{ value: "a@b.com", type: "work", primary: false }, { value: "c@d.com", type: "personal" }] };
    const after = { email_addresses: [{ value: "c@d.com", type: "work" }, { value: "a@b.com", type: "work", primary: true }] };
    expect(diff(before, after, config)).toEqual([
      ["email_addresses[value=a@b.com,type=work].primary", "changed", false, true],
      ["email_addresses[value=c@d.com,type=personal]", "removed", { value: "c@d.com", type: "personal" }, undefined],
      ["email_addresses[value=c@d.com,type=work]", "added", undefined, { value: "c@d.com", type: "work" }],
    ]);
  });

  it("composite keys: missing/null parts are written null; awkward values are JSON-quoted", () => {
    const config: HistoryConfig = { arrayKeys: { addresses: ["value", "type"] }, noise: [] };
    const before = { addresses: [{ value: "1 Main St, NY" }, { value: "null", type: null }, { value: " x", type: "home" }] };
    const after = { addresses: [{ value: "1 Main St, NY", note: 1 }, { value: "null", type: null, note: 2 }, { value: " x", type: "home", note: 3 }] };
    expect(diff(before, after, config).map((c) => c[0])).toEqual([
      'addresses[value="1 Main St, NY",type=null].note',
      'addresses[value="null",type=null].note',
      'addresses[value=" x",type=home].note',
    ]);
    const multiline = { addresses: [{ value: "99-99 5th Ave.\nNew York", type: "home" }] };
    expect(diff({ addresses: [] }, multiline, config).map((c) => c[0])).toEqual(['addresses[value="99-99 5th Ave.\\nNew York",type=home]']);
  });

  it("a configured key that some element lacks falls back to the default (id, external_id, position)", () => {
    const config: HistoryConfig = { arrayKeys: { files: ["file_id"] }, noise: [] };
    expect(diff({ files: [{ id: 1, file_id: 5, n: "a" }] }, { files: [{ id: 1, n: "b" }] }, config)).toEqual([
      ["files[id=1].file_id", "removed", 5, undefined],
      ["files[id=1].n", "changed", "a", "b"],
    ]);
    expect(diff({ files: [{ file_id: 5, n: "a" }] }, { files: [{ n: "b" }] }, config)).toEqual([
      ["files[0].file_id", "removed", 5, undefined],
      ["files[0].n", "changed", "a", "b"],
    ]);
    // An object-valued key part is no identity either.
    expect(diff({ files: [{ file_id: { x: 1 } }] }, { files: [{ file_id: { x: 2 } }] }, config)).toEqual([["files[0].file_id.x", "changed", 1, 2]]);
  });

  it("nested arrays: projects[].technologies by id, and by a configured natural key", () => {
    const before = { projects: [{ id: 3, technologies: [{ id: 9, technology: "Go" }, { id: 10, technology: "SQL" }] }, { id: 4, technologies: [] }] };
    const after = { projects: [{ id: 4, technologies: [] }, { id: 3, technologies: [{ id: 11, technology: "Zig" }, { id: 9, technology: "Rust" }] }] };
    expect(diff(before, after)).toEqual([
      ["projects[id=3].technologies[id=9].technology", "changed", "Go", "Rust"],
      ["projects[id=3].technologies[id=10]", "removed", { id: 10, technology: "SQL" }, undefined],
      ["projects[id=3].technologies[id=11]", "added", undefined, { id: 11, technology: "Zig" }],
    ]);
    const byName: HistoryConfig = { arrayKeys: { projects: ["id"], "projects[].technologies": ["technology"] }, noise: [] };
    expect(diff(before, after, byName)).toEqual([
      ["projects[id=3].technologies[technology=Go]", "removed", { id: 9, technology: "Go" }, undefined],
      ["projects[id=3].technologies[technology=SQL]", "removed", { id: 10, technology: "SQL" }, undefined],
      ["projects[id=3].technologies[technology=Zig]", "added", undefined, { id: 11, technology: "Zig" }],
      ["projects[id=3].technologies[technology=Rust]", "added", undefined, { id: 9, technology: "Rust" }],
    ]);
  });

  it("arrayKeys patterns accept * and ** and quoted keys; exact patterns win over wildcards", () => {
    const config: HistoryConfig = {
      arrayKeys: { "**.items": ["sku"], "*.lines": "ordered", 'cf["my list"]': "ordered", "a.items": ["name"] },
      noise: [],
    };
    const before = { order: { items: [{ sku: "A", q: 1 }], lines: ["x", "y"] }, a: { items: [{ name: "n", sku: "Z", q: 1 }] }, cf: { "my list": [1, 2] } };
    const after = { order: { items: [{ sku: "A", q: 2 }], lines: ["y", "x"] }, a: { items: [{ name: "n", sku: "Y", q: 1 }] }, cf: { "my list": [2, 1] } };
    expect(diff(before, after, config).map((c) => c[0])).toEqual([
      "order.items[sku=A].q",
      "order.lines[0]",
      "order.lines[1]",
      "a.items[name=n].sku",
      'cf["my list"][0]',
      'cf["my list"][1]',
    ]);
  });

  it("duplicate identities do not crash: occurrences pair in document order, the n-th gets ,#=n", () => {
    const before = { rows: [{ id: 5, v: "a" }, { id: 5, v: "b" }, { id: 6, v: "c" }] };
    const after = { rows: [{ id: 6, v: "c" }, { id: 5, v: "a" }, { id: 5, v: "B" }, { id: 5, v: "new" }] };
    expect(diff(before, after)).toEqual([
      ["rows[id=5,#=2].v", "changed", "b", "B"],
      ["rows[id=5,#=3]", "added", undefined, { id: 5, v: "new" }],
    ]);
    expect(diff(after, before)).toEqual([
      ["rows[id=5,#=2].v", "changed", "B", "b"],
      ["rows[id=5,#=3]", "removed", { id: 5, v: "new" }, undefined],
    ]);
  });
});

describe("noise", () => {
  const config: HistoryConfig = {
    arrayKeys: {},
    noise: ["**.updated_at", "*.updated_by", "attachments[].url", "photo_url", "resume_data", 'cf["signed link"]'],
  };

  it("flags matching changes and keeps them", () => {
    const before = {
      updated_at: "1",
      updated_by: 1,
      photo_url: "p1",
      updated_at_note: "x",
      education: [{ id: 5, updated_at: "1", updated_by: 1, school: "A" }],
      projects: [{ id: 3, technologies: [{ id: 9, updated_at: "1" }] }],
      attachments: [{ id: 1, url: "u1", name: "cv" }],
      resume_data: { skills: ["a"] },
      cf: { "signed link": "s1" },
    };
    const after = {
      updated_at: "2",
      updated_by: 2,
      photo_url: "p2",
      updated_at_note: "y",
      education: [{ id: 5, updated_at: "2", updated_by: 2, school: "B" }],
      projects: [{ id: 3, technologies: [{ id: 9, updated_at: "2" }] }],
      attachments: [{ id: 1, url: "u2", name: "cv2" }],
      resume_data: { skills: ["b"] },
      cf: { "signed link": "s2" },
    };
    expect(diff(before, after, config)).toEqual([
      ["updated_at", "changed", "1", "2", "noise"],
      // `*.updated_by` needs exactly one key before it: the root field is not matched…
      ["updated_by", "changed", 1, 2],
      ["photo_url", "changed", "p1", "p2", "noise"],
      ["updated_at_note", "changed", "x", "y"],
      ["education[id=5].updated_at", "changed", "1", "2", "noise"],
      // …and `*` is an object key, not an array level.
      ["education[id=5].updated_by", "changed", 1, 2],
      ["education[id=5].school", "changed", "A", "B"],
      ["projects[id=3].technologies[id=9].updated_at", "changed", "1", "2", "noise"],
      ["attachments[id=1].url", "changed", "u1", "u2", "noise"],
      ["attachments[id=1].name", "changed", "cv", "cv2"],
      // An ancestor match flags everything below it.
      ["resume_data.skills[]", "removed", "a", undefined, "noise"],
      ["resume_data.skills[]", "added", undefined, "b", "noise"],
      ['cf["signed link"]', "changed", "s1", "s2", "noise"],
    ]);
  });

  it("matches selectors of every kind, including set elements and duplicates", () => {
    const cfg: HistoryConfig = { arrayKeys: { "ordered": "ordered" }, noise: ["x[].y", "tags[]", "ordered[]"] };
    expect(diff({ x: [{ id: 1, y: 1 }, { id: 1, y: 1 }], tags: ["a"], ordered: [1] }, { x: [{ id: 1, y: 1 }, { id: 1, y: 2 }], tags: [], ordered: [2] }, cfg)).toEqual([
      ["x[id=1,#=2].y", "changed", 1, 2, "noise"],
      ["tags[]", "removed", "a", undefined, "noise"],
      ["ordered[0]", "changed", 1, 2, "noise"],
    ]);
  });

  it("meaningfulChanges drops the noise", () => {
    const changes = diffSnapshots({ updated_at: "1", name: "a" }, { updated_at: "2", name: "b" }, config);
    expect(meaningfulChanges(changes).map((c) => c.path)).toEqual(["name"]);
  });

  it("rejects malformed patterns", () => {
    for (const bad of ["a..b", ".a", "a.", "a[id=5]", "a[", 'a["x"', "a[].[]", "a[x]"]) {
      expect(() => parsePattern(bad), bad).toThrow(/history pattern/);
    }
    expect(() => diffSnapshots({}, {}, { arrayKeys: { "a[0]": "set" }, noise: [] })).toThrow(/history pattern/);
    expect(() => diffSnapshots({}, {}, { arrayKeys: { a: [] }, noise: [] })).toThrow(/empty key list/);
    expect(parsePattern('**.a[][].b["c.d"].*')).toEqual([
      { t: "glob" },
      { t: "key", name: "a" },
      { t: "arr" },
      { t: "arr" },
      { t: "key", name: "b" },
      { t: "key", name: "c.d" },
      { t: "any" },
    ]);
  });
});

describe("hostile input", () => {
  function nest(depth: number, leaf: unknown): unknown {
    let value: unknown = leaf;
    for (let i = 0; i < depth; i++) value = { n: value };
    return value;
  }

  it("cuts at maxDepth with one changed holding both whole values", () => {
    const before = nest(100, 1);
    const after = nest(100, 2);
    const changes = diffSnapshots(before, after, none);
    expect(changes).toHaveLength(1);
    expect(changes[0].kind).toBe("changed");
    expect(changes[0].path).toBe(Array(64).fill("n").join("."));
    expect(changes[0].before).toEqual(nest(36, 1));
    expect(changes[0].after).toEqual(nest(36, 2));
    expect(diffSnapshots(before, nest(100, 1), none)).toEqual([]);
  });

  it("honours maxDepth from options, also inside arrays", () => {
    const before = { a: { b: [{ id: 1, c: { d: 1 } }] } };
    const after = { a: { b: [{ id: 1, c: { d: 2 } }] } };
    expect(compact(diffSnapshots(before, after, none, { maxDepth: 3 }))).toEqual([["a.b[id=1]", "changed", { id: 1, c: { d: 1 } }, { id: 1, c: { d: 2 } }]]);
    expect(compact(diffSnapshots(before, after, none, { maxDepth: 4 }))).toEqual([["a.b[id=1].c", "changed", { d: 1 }, { d: 2 }]]);
    expect(compact(diffSnapshots(before, after, none, { maxDepth: 0 }))).toEqual([["", "changed", before, after]]);
    expect(() => diffSnapshots(before, after, none, { maxDepth: -1 })).toThrow(/maxDepth/);
  });

  it("survives very deep nesting (no stack overflow) and cyclic objects", () => {
    let deepA: unknown = 0;
    let deepB: unknown = 0;
    for (let i = 0; i < 100_000; i++) {
      deepA = [deepA];
      deepB = [deepB];
    }
    expect(diffSnapshots({ x: deepA }, { x: deepB }, none)).toEqual([]);
    const changed = diffSnapshots({ x: deepA }, { x: [1] }, none);
    expect(changed.map((c) => c.path)).toEqual(["x[0]"]);

    const cycleA: Record<string, unknown> = { v: 1 };
    cycleA.self = cycleA;
    const cycleB: Record<string, unknown> = { v: 1 };
    cycleB.self = cycleB;
    const changes = diffSnapshots(cycleA, cycleB, none);
    expect(changes).toHaveLength(1);
    expect(changes[0].path).toBe(Array(64).fill("self").join("."));
  });

  it("treats __proto__, constructor and prototype as plain data and pollutes nothing", () => {
    const before = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"name": "a"}, "list": [{"id": "__proto__", "v": 1}]}');
    const after = JSON.parse('{"__proto__": {"polluted": 2}, "constructor": {"name": "b"}, "prototype": 1, "list": [{"id": "__proto__", "v": 2}, {"id": "constructor"}]}');
    expect(diff(before, after)).toEqual([
      ["__proto__.polluted", "changed", 1, 2],
      ["constructor.name", "changed", "a", "b"],
      ["list[id=__proto__].v", "changed", 1, 2],
      ["list[id=constructor]", "added", undefined, { id: "constructor" }],
      ["prototype", "added", undefined, 1],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A key inherited from Object.prototype is not "present".
    expect(diff({}, JSON.parse('{"toString": 1, "hasOwnProperty": 2}'))).toEqual([
      ["toString", "added", undefined, 1],
      ["hasOwnProperty", "added", undefined, 2],
    ]);
    expect(diff({ a: 1 }, { a: 1, constructor: Object })).toEqual([["constructor", "added", undefined, Object]]);
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { x: 1 });
    expect(diff(bare, { x: 2 })).toEqual([["x", "changed", 1, 2]]);
    // Noise patterns and arrayKeys with such names are plain keys too.
    const cfg2: HistoryConfig = { arrayKeys: JSON.parse('{"__proto__": ["k"]}'), noise: ["constructor"] };
    expect(diff(JSON.parse('{"__proto__": [{"k": 1, "v": 1}], "constructor": 1}'), JSON.parse('{"__proto__": [{"k": 1, "v": 2}], "constructor": 2}'), cfg2)).toEqual([
      ["__proto__[k=1].v", "changed", 1, 2],
      ["constructor", "changed", 1, 2, "noise"],
    ]);
  });

  it("compares NaN as equal to itself", () => {
    expect(diff({ a: Number.NaN }, { a: Number.NaN })).toEqual([]);
  });
});

describe("deterministic order", () => {
  it("follows the before document, then what is new after, depth first", () => {
    const before = {
      b: 1,
      a: { z: 1, y: 1 },
      rows: [{ id: 2, v: 1 }, { id: 1, v: 1 }, { id: 3, v: 1 }],
      tags: ["x", "y"],
      gone: true,
    };
    const after = {
      new1: 1,
      rows: [{ id: 4 }, { id: 1, v: 2 }, { id: 2, v: 2 }],
      a: { w: 1, y: 2, z: 2 },
      tags: ["q", "y", "p"],
      b: 2,
      new0: 0,
    };
    const expected = [
      "b changed",
      "a.z changed",
      "a.y changed",
      "a.w added",
      "rows[id=2].v changed",
      "rows[id=1].v changed",
      "rows[id=3] removed",
      "rows[id=4] added",
      "tags[] removed",
      "tags[] added",
      "tags[] added",
      "gone removed",
      "new1 added",
      "new0 added",
    ];
    const run = () => diffSnapshots(before, after, none).map((c) => `${c.path} ${c.kind}`);
    expect(run()).toEqual(expected);
    expect(run()).toEqual(run());
    expect(diffSnapshots(before, after, none).filter((c) => c.path === "tags[]").map((c) => c.after ?? c.before)).toEqual(["x", "q", "p"]);
  });

  it("reuses the compiled config across calls and does not mutate inputs or config", () => {
    const config: HistoryConfig = { arrayKeys: { rows: ["k"] }, noise: ["rows[].t"] };
    const before = { rows: [{ k: 1, t: 1 }] };
    const after = { rows: [{ k: 1, t: 2 }] };
    const frozen = JSON.stringify([config, before, after]);
    const first = diffSnapshots(before, after, config);
    const second = diffSnapshots(before, after, config);
    expect(second).toEqual(first);
    expect(first).toEqual([{ path: "rows[k=1].t", kind: "changed", before: 1, after: 2, noise: true }]);
    expect(JSON.stringify([config, before, after])).toBe(frozen);
  });
});
