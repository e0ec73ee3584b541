/**
 * Field-level diff between two consecutive snapshots of one candidate. Pure and framework-free.
 *
 * Path format, pattern syntax and array strategies are documented in ./types.ts. Behaviour in short:
 *   - Unchanged fields never appear. A key missing before and present after is `added`, the reverse
 *     `removed`; `null` ↔ value is `changed`. A key whose value is `undefined` counts as missing.
 *   - When the kind of value changes (scalar / array / object) there is one `changed` at that path
 *     with both whole values; the engine does not descend.
 *   - Paths longer than `maxDepth` segments (default 64) are not descended: one `changed` at the cut.
 *   - Keys are read with Object.keys / Object.hasOwn, so `__proto__`, `constructor` and friends are
 *     plain data; the engine never writes onto objects built from input keys (lookups use Map).
 *
 * Output order is document order and deterministic for given inputs: object keys in the order of
 * the *before* object, then keys that exist only *after* in their order; arrays matched by identity
 * list the before elements in their order (changed or removed), then the added ones in after order;
 * sets list removed elements (before order) then added ones (after order); positional arrays go by
 * index. Changes below a matched record or object key are emitted at its place in that order, depth
 * first. Nothing depends on hashing order or on sorting strings.
 *
 * `before`/`after` of a change are references into the inputs, not copies.
 */
import type { ArrayStrategy, Change, ChangeKind, DiffOptions, HistoryConfig } from "./types";

export type { ArrayStrategy, Change, ChangeKind, DiffOptions, HistoryConfig } from "./types";

export const DEFAULT_MAX_DEPTH = 64;

/** An empty configuration: only the default array strategies, no noise. */
export const defaultHistoryConfig: HistoryConfig = { arrayKeys: {}, noise: [] };

/** Budget for the whole-value comparisons done at the depth cut (guards cyclic or huge input). */
const EQUALITY_STEP_LIMIT = 1_000_000;

// ---------------------------------------------------------------------------------------------
// Paths

/** One segment of a path: an object key (`key !== null`) or an array level (`sel` inside `[]`). */
interface Frame {
  parent: Frame | null;
  key: string | null;
  sel: string;
  /** The array-pattern form of the path up to here: keys as in paths, array levels as `[]`. */
  shape: string;
}

const plainKey = /^[A-Za-z0-9_$-]+$/;

function renderKey(key: string): string {
  return plainKey.test(key) ? key : `[${JSON.stringify(key)}]`;
}

function appendKey(prefix: string, key: string): string {
  if (plainKey.test(key)) return prefix === "" ? key : `${prefix}.${key}`;
  return `${prefix}[${JSON.stringify(key)}]`;
}

function keyFrame(parent: Frame | null, key: string): Frame {
  return { parent, key, sel: "", shape: appendKey(parent === null ? "" : parent.shape, key) };
}

function arrayFrame(parent: Frame | null, sel: string): Frame {
  return { parent, key: null, sel, shape: `${parent === null ? "" : parent.shape}[]` };
}

function framesOf(frame: Frame | null): Frame[] {
  const frames: Frame[] = [];
  for (let f = frame; f !== null; f = f.parent) frames.push(f);
  return frames.reverse();
}

function renderPath(frames: Frame[]): string {
  let out = "";
  for (const f of frames) out = f.key === null ? `${out}[${f.sel}]` : appendKey(out, f.key);
  return out;
}

const quoteValue = /[[\]=,"\\\u0000-\u001f\u007f]/;

/** How a key value is written inside a selector; equal renderings mean the same record. */
function renderValue(value: string | number | boolean | bigint | null): string {
  if (typeof value !== "string") return String(value);
  if (value === "" || value === "null" || value === "true" || value === "false" || value.trim() !== value || quoteValue.test(value)) {
    return JSON.stringify(value);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Patterns

type Token = { t: "key"; name: string } | { t: "any" } | { t: "glob" } | { t: "arr" };

/** Parses an arrayKeys / noise pattern (syntax in ./types.ts). Throws on malformed patterns. */
export function parsePattern(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let needSegment = false;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === ".") {
      if (tokens.length === 0 || needSegment) throw new Error(`history pattern ${JSON.stringify(pattern)}: empty segment at ${i}`);
      needSegment = true;
      i++;
      continue;
    }
    if (c === "[") {
      if (pattern[i + 1] === "]") {
        if (needSegment) throw new Error(`history pattern ${JSON.stringify(pattern)}: "[]" right after "." at ${i}`);
        tokens.push({ t: "arr" });
        i += 2;
        continue;
      }
      if (pattern[i + 1] === '"') {
        let j = i + 2;
        while (j < pattern.length && pattern[j] !== '"') j += pattern[j] === "\\" ? 2 : 1;
        if (pattern[j + 1] !== "]") throw new Error(`history pattern ${JSON.stringify(pattern)}: unterminated ["key"] at ${i}`);
        tokens.push({ t: "key", name: JSON.parse(pattern.slice(i + 1, j + 1)) as string });
        needSegment = false;
        i = j + 2;
        continue;
      }
      throw new Error(`history pattern ${JSON.stringify(pattern)}: selectors are written "[]" in patterns (at ${i})`);
    }
    if (tokens.length > 0 && !needSegment) throw new Error(`history pattern ${JSON.stringify(pattern)}: missing "." at ${i}`);
    let j = i;
    while (j < pattern.length && pattern[j] !== "." && pattern[j] !== "[") j++;
    const name = pattern.slice(i, j);
    tokens.push(name === "**" ? { t: "glob" } : name === "*" ? { t: "any" } : { t: "key", name });
    needSegment = false;
    i = j;
  }
  if (needSegment) throw new Error(`history pattern ${JSON.stringify(pattern)}: ends with "."`);
  return tokens;
}

function isLiteral(tokens: Token[]): boolean {
  return tokens.every((token) => token.t === "key" || token.t === "arr");
}

function renderShape(tokens: Token[]): string {
  let out = "";
  for (const token of tokens) out = token.t === "arr" ? `${out}[]` : appendKey(out, (token as { name: string }).name);
  return out;
}

/** Whether `tokens` match `frames` whole, or (with `prefix`) match a leading part of them. */
function matchTokens(tokens: Token[], ti: number, frames: Frame[], fi: number, prefix: boolean): boolean {
  if (ti === tokens.length) return prefix || fi === frames.length;
  const token = tokens[ti];
  if (token.t === "glob") {
    for (let j = fi; j <= frames.length; j++) if (matchTokens(tokens, ti + 1, frames, j, prefix)) return true;
    return false;
  }
  if (fi === frames.length) return false;
  const frame = frames[fi];
  if (token.t === "arr" ? frame.key !== null : token.t === "any" ? frame.key === null : frame.key !== token.name) return false;
  return matchTokens(tokens, ti + 1, frames, fi + 1, prefix);
}

interface Compiled {
  exactArrays: Map<string, ArrayStrategy>;
  globArrays: { tokens: Token[]; strategy: ArrayStrategy }[];
  noise: Token[][];
}

const compiledConfigs = new WeakMap<HistoryConfig, Compiled>();

function compile(config: HistoryConfig): Compiled {
  const cached = compiledConfigs.get(config);
  if (cached) return cached;
  const compiled: Compiled = { exactArrays: new Map(), globArrays: [], noise: [] };
  for (const pattern of Object.keys(config.arrayKeys)) {
    const strategy = config.arrayKeys[pattern];
    if (Array.isArray(strategy) && strategy.length === 0) throw new Error(`history arrayKeys ${JSON.stringify(pattern)}: empty key list`);
    const tokens = parsePattern(pattern);
    if (isLiteral(tokens)) {
      const shape = renderShape(tokens);
      if (!compiled.exactArrays.has(shape)) compiled.exactArrays.set(shape, strategy);
    } else compiled.globArrays.push({ tokens, strategy });
  }
  compiled.noise = config.noise.map(parsePattern);
  compiledConfigs.set(config, compiled);
  return compiled;
}

/** True when `path`-pattern `pattern` flags `frames` as noise (the path or an ancestor matches). */
function isNoise(compiled: Compiled, frames: Frame[]): boolean {
  for (const tokens of compiled.noise) if (matchTokens(tokens, 0, frames, 0, true)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Values

type Kind = "scalar" | "array" | "record";

function kindOf(value: unknown): Kind {
  if (value === null || typeof value !== "object") return "scalar";
  return Array.isArray(value) ? "array" : "record";
}

type Rec = Record<string, unknown>;

function sameScalar(a: unknown, b: unknown): boolean {
  return a === b || (a !== a && b !== b);
}

/** Own property, with `undefined` meaning missing. */
function own(record: Rec, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Iterative deep equality (no recursion), with a step budget: over budget counts as different. */
function deepEqual(x: unknown, y: unknown): boolean {
  const stack: unknown[] = [x, y];
  let steps = 0;
  while (stack.length > 0) {
    const b = stack.pop();
    const a = stack.pop();
    if (a === b) continue;
    if (++steps > EQUALITY_STEP_LIMIT) return false;
    const kind = kindOf(a);
    if (kind !== kindOf(b)) return false;
    if (kind === "scalar") {
      if (!sameScalar(a, b)) return false;
    } else if (kind === "array") {
      const left = a as unknown[];
      const right = b as unknown[];
      if (left.length !== right.length) return false;
      for (let i = 0; i < left.length; i++) stack.push(left[i], right[i]);
    } else {
      const left = a as Rec;
      const right = b as Rec;
      let count = 0;
      for (const key of Object.keys(left)) {
        const value = left[key];
        if (value === undefined) continue;
        count++;
        const other = own(right, key);
        if (other === undefined) return false;
        stack.push(value, other);
      }
      for (const key of Object.keys(right)) if (right[key] !== undefined) count--;
      if (count !== 0) return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Engine

interface Context {
  compiled: Compiled;
  maxDepth: number;
  out: Change[];
  opaque: number;
}

/**
 * Compares two snapshots of the same candidate. `before === undefined` (no previous snapshot) gives
 * one `added` at the root path ""; `after === undefined` one `removed`.
 */
export function diffSnapshots(before: unknown, after: unknown, config: HistoryConfig = defaultHistoryConfig, options: DiffOptions = {}): Change[] {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new Error(`maxDepth must be a non-negative integer, got ${String(maxDepth)}`);
  const ctx: Context = { compiled: compile(config), maxDepth, out: [], opaque: 0 };
  if (before === undefined && after === undefined) return ctx.out;
  if (before === undefined) emit(ctx, null, "added", undefined, after);
  else if (after === undefined) emit(ctx, null, "removed", before, undefined);
  else diffValue(ctx, before, after, null, 0);
  return ctx.out;
}

/** Like diffSnapshots, without the bookkeeping changes the UI hides by default. */
export function meaningfulChanges(changes: Change[]): Change[] {
  return changes.filter((change) => !change.noise);
}

function emit(ctx: Context, frame: Frame | null, kind: ChangeKind, before: unknown, after: unknown): void {
  const frames = framesOf(frame);
  ctx.out.push({ path: renderPath(frames), kind, before, after, noise: isNoise(ctx.compiled, frames) });
}

/** `a` and `b` are both defined; `depth` is the number of segments in `frame`'s path. */
function diffValue(ctx: Context, a: unknown, b: unknown, frame: Frame | null, depth: number): void {
  if (a === b) return;
  const kind = kindOf(a);
  if (kind !== kindOf(b)) {
    emit(ctx, frame, "changed", a, b);
    return;
  }
  if (kind === "scalar") {
    if (!sameScalar(a, b)) emit(ctx, frame, "changed", a, b);
    return;
  }
  if (depth >= ctx.maxDepth) {
    if (!deepEqual(a, b)) emit(ctx, frame, "changed", a, b);
    return;
  }
  if (kind === "record") diffRecord(ctx, a as Rec, b as Rec, frame, depth);
  else diffArray(ctx, a as unknown[], b as unknown[], frame, depth);
}

function diffRecord(ctx: Context, a: Rec, b: Rec, frame: Frame | null, depth: number): void {
  for (const key of Object.keys(a)) {
    const left = a[key];
    if (left === undefined) continue;
    const right = own(b, key);
    if (left === right) continue;
    if (right === undefined) emit(ctx, keyFrame(frame, key), "removed", left, undefined);
    else diffValue(ctx, left, right, keyFrame(frame, key), depth + 1);
  }
  for (const key of Object.keys(b)) {
    const right = b[key];
    if (right === undefined || own(a, key) !== undefined) continue;
    emit(ctx, keyFrame(frame, key), "added", undefined, right);
  }
}

function strategyFor(ctx: Context, frame: Frame | null): ArrayStrategy | undefined {
  const shape = frame === null ? "" : frame.shape;
  const exact = ctx.compiled.exactArrays.get(shape);
  if (exact !== undefined) return exact;
  if (ctx.compiled.globArrays.length === 0) return undefined;
  const frames = framesOf(frame);
  for (const { tokens, strategy } of ctx.compiled.globArrays) if (matchTokens(tokens, 0, frames, 0, false)) return strategy;
  return undefined;
}

function diffArray(ctx: Context, a: unknown[], b: unknown[], frame: Frame | null, depth: number): void {
  if (a.length === 0 && b.length === 0) return;
  const strategy = strategyFor(ctx, frame);
  if (strategy === "ordered") return diffByPosition(ctx, a, b, frame, depth);
  if (strategy === "set") return diffAsSet(ctx, a, b, frame, depth);
  if (strategy !== undefined && diffByIdentity(ctx, a, b, strategy, frame, depth)) return;

  let allScalar = true;
  let allRecord = true;
  for (const list of [a, b]) {
    for (const item of list) {
      const kind = kindOf(item);
      if (kind !== "scalar") allScalar = false;
      if (kind !== "record") allRecord = false;
    }
  }
  if (allScalar) return diffAsSet(ctx, a, b, frame, depth);
  if (allRecord && (diffByIdentity(ctx, a, b, idKey, frame, depth) || diffByIdentity(ctx, a, b, externalIdKey, frame, depth))) return;
  diffByPosition(ctx, a, b, frame, depth);
}

const idKey = ["id"];
const externalIdKey = ["external_id"];

function diffByPosition(ctx: Context, a: unknown[], b: unknown[], frame: Frame | null, depth: number): void {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (i >= b.length) emit(ctx, arrayFrame(frame, String(i)), "removed", a[i], undefined);
    else if (i >= a.length) emit(ctx, arrayFrame(frame, String(i)), "added", undefined, b[i]);
    else if (a[i] !== b[i]) diffValue(ctx, a[i], b[i], arrayFrame(frame, String(i)), depth + 1);
  }
}

/**
 * The selector text of a record under `keys` (`id=5`, `value=a@b.com,type=work`), or null when it has
 * no identity: not a record, a key part that is an object or array, or every part missing/null.
 */
function identityOf(item: unknown, keys: string[]): string | null {
  if (kindOf(item) !== "record") return null;
  let out = "";
  let present = false;
  for (let i = 0; i < keys.length; i++) {
    const value = own(item as Rec, keys[i]);
    if (value !== undefined && value !== null) {
      if (typeof value === "object" || typeof value === "function" || typeof value === "symbol") return null;
      present = true;
    }
    const part = `${renderKey(keys[i])}=${renderValue(value === undefined ? null : (value as string | number | boolean | bigint | null))}`;
    out = i === 0 ? part : `${out},${part}`;
  }
  return present ? out : null;
}

/** Matches records by identity; false (and nothing emitted) when some element has no identity. */
function diffByIdentity(ctx: Context, a: unknown[], b: unknown[], keys: string[], frame: Frame | null, depth: number): boolean {
  const idsA: string[] = new Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const id = identityOf(a[i], keys);
    if (id === null) return false;
    idsA[i] = id;
  }
  const idsB: string[] = new Array(b.length);
  const occurrenceB = new Array<number>(b.length);
  const indexB = new Map<string, number[]>();
  for (let j = 0; j < b.length; j++) {
    const id = identityOf(b[j], keys);
    if (id === null) return false;
    idsB[j] = id;
    let list = indexB.get(id);
    if (list === undefined) indexB.set(id, (list = []));
    occurrenceB[j] = list.length;
    list.push(j);
  }

  const usedB = new Uint8Array(b.length);
  const seenA = new Map<string, number>();
  for (let i = 0; i < a.length; i++) {
    const id = idsA[i];
    const n = seenA.get(id) ?? 0;
    seenA.set(id, n + 1);
    const j = indexB.get(id)?.[n];
    if (j === undefined) {
      emit(ctx, arrayFrame(frame, withOccurrence(id, n)), "removed", a[i], undefined);
    } else {
      usedB[j] = 1;
      if (a[i] !== b[j]) diffValue(ctx, a[i], b[j], arrayFrame(frame, withOccurrence(id, n)), depth + 1);
    }
  }
  for (let j = 0; j < b.length; j++) {
    if (usedB[j] === 0) emit(ctx, arrayFrame(frame, withOccurrence(idsB[j], occurrenceB[j])), "added", undefined, b[j]);
  }
  return true;
}

function withOccurrence(id: string, n: number): string {
  return n === 0 ? id : `${id},#=${n + 1}`;
}

/** Multiset comparison: equal elements pair up regardless of order; the rest are added/removed at `[]`. */
function diffAsSet(ctx: Context, a: unknown[], b: unknown[], frame: Frame | null, depth: number): void {
  const budget = ctx.maxDepth - depth;
  const indexB = new Map<string, { at: number[]; used: number }>();
  for (let j = 0; j < b.length; j++) {
    const key = elementKey(ctx, b[j], budget);
    const entry = indexB.get(key);
    if (entry === undefined) indexB.set(key, { at: [j], used: 0 });
    else entry.at.push(j);
  }
  const usedB = new Uint8Array(b.length);
  for (const item of a) {
    const entry = indexB.get(elementKey(ctx, item, budget));
    if (entry !== undefined && entry.used < entry.at.length) usedB[entry.at[entry.used++]] = 1;
    else emit(ctx, arrayFrame(frame, ""), "removed", item, undefined);
  }
  for (let j = 0; j < b.length; j++) if (usedB[j] === 0) emit(ctx, arrayFrame(frame, ""), "added", undefined, b[j]);
}

/** A canonical text for set membership: type-tagged scalars, records with sorted keys. */
function elementKey(ctx: Context, value: unknown, budget: number): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return `s${value}`;
    case "number":
      return `n${String(value)}`;
    case "boolean":
      return `b${String(value)}`;
    case "object":
      return `j${canonical(ctx, value, budget)}`;
    default:
      return `${typeof value}${String(value)}`;
  }
}

function canonical(ctx: Context, value: unknown, budget: number): string {
  if (value === null || typeof value !== "object") return value === undefined ? "null" : (JSON.stringify(value) ?? String(value));
  // Deeper than the depth limit allows: the element equals nothing (reported added and removed).
  if (budget <= 0) return `\u0000opaque${ctx.opaque++}`;
  if (Array.isArray(value)) return `[${value.map((item) => canonical(ctx, item, budget - 1)).join(",")}]`;
  const record = value as Rec;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(ctx, record[key], budget - 1)}`).join(",")}}`;
}
