import { z } from "zod";

/**
 * Drift: where a delivery differs from the provider's documented schema. Providers add fields, send
 * an object where a string was documented, a string where a number was, `[]` for an empty object.
 * None of that may fail a delivery unless the history needs the value (see `parseTolerant`): it is
 * recorded as a note on the delivery instead.
 *
 * A note is one string, so the notes stored before type drift existed (bare paths of unknown keys)
 * read the same way:
 * - `candidate.new_field` — a key the documentation does not list;
 * - `candidate.location: documented string, received object` — a value of another JSON type;
 * - `occurred_at: time without offset, read as UTC`.
 * Paths name array items `[]` (`vacancies[].status.colour`).
 */
export type JsonType = "string" | "number" | "boolean" | "null" | "object" | "array";

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const type = typeof value;
  return type === "string" || type === "number" || type === "boolean" ? type : "object";
}

export interface DriftNote {
  path: string;
  /** Null for a key the documentation does not list. */
  documented: string | null;
  received: string;
}

export function formatDriftNote(note: DriftNote): string {
  return note.documented === null ? note.path : `${note.path}: documented ${note.documented}, received ${note.received}`;
}

const TYPED_NOTE = /^(.*): documented (.+), received (.+)$/;

/** The parts of a stored note; a bare path (an unknown key, also every note stored before type drift) has no types. */
export function parseDriftNote(text: string): DriftNote {
  const match = TYPED_NOTE.exec(text);
  return match ? { path: match[1], documented: match[2], received: match[3] } : { path: text, documented: null, received: "undocumented key" };
}

/** The drift note for an ISO time without an offset, which every provider reads as UTC. */
export function offsetlessTimeNote(path: string): string {
  return `${path}: time without offset, read as UTC`;
}

/** Where a child value sits: `a.b`, `a[]`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[]`;
  return path ? `${path}.${key}` : key;
}

/** What prune needs to know of a schema node, computed once per node (schemas are module constants). */
interface NodeInfo {
  node: z.ZodType;
  optional: boolean;
  /** The JSON types the node documents; null means "any". */
  types: ReadonlySet<JsonType> | null;
  /** `string or null`, as notes say it. */
  documented: string;
}

const infos = new WeakMap<z.ZodType, NodeInfo>();

function infoOf(schema: z.ZodType): NodeInfo {
  let info = infos.get(schema);
  if (!info) {
    const types = documentedTypes(schema);
    info = { ...unwrap(schema), types, documented: types ? [...types].join(" or ") : "any" };
    infos.set(schema, info);
  }
  return info;
}

function unwrap(schema: z.ZodType): { node: z.ZodType; optional: boolean; nullable: boolean } {
  let node: z.ZodType = schema;
  let optional = false;
  let nullable = false;
  for (let i = 0; i < 10; i++) {
    if (node instanceof z.ZodOptional || node instanceof z.ZodDefault) {
      optional = true;
      node = node.unwrap() as z.ZodType;
    } else if (node instanceof z.ZodNullable) {
      nullable = true;
      node = node.unwrap() as z.ZodType;
    } else if (node instanceof z.ZodPipe) {
      node = node.in as z.ZodType;
    } else {
      break;
    }
  }
  return { node, optional, nullable };
}

function documentedTypes(schema: z.ZodType): Set<JsonType> | null {
  const { node, nullable } = unwrap(schema);
  let types: Set<JsonType> | null;
  if (node instanceof z.ZodString || node instanceof z.ZodEnum) types = new Set(["string"]);
  else if (node instanceof z.ZodNumber) types = new Set(["number"]);
  else if (node instanceof z.ZodBoolean) types = new Set(["boolean"]);
  else if (node instanceof z.ZodNull) types = new Set(["null"]);
  else if (node instanceof z.ZodObject || node instanceof z.ZodRecord) types = new Set(["object"]);
  else if (node instanceof z.ZodArray) types = new Set(["array"]);
  else if (node instanceof z.ZodLiteral) types = new Set([...node.values].map((v) => jsonTypeOf(v)));
  else if (node instanceof z.ZodUnion) {
    types = new Set();
    for (const option of node.options as z.ZodType[]) {
      const inner = documentedTypes(option);
      if (inner === null) return null;
      for (const t of inner) types.add(t);
    }
  } else types = null;
  if (types && nullable) types.add("null");
  return types;
}

const REMOVE = Symbol("remove");

/**
 * Compares `value` with the documented `schema` and returns a copy without the values of another
 * JSON type where the schema allows the key to be missing, and without list items of another type
 * (they become drift notes; the delivery's stored body and snapshot keep them as received).
 * Required keys keep their value, so the schema's own check fails on them with its own message.
 * Recursion follows the schema, never the input.
 */
function prune(schema: z.ZodType, value: unknown, path: string, notes: DriftNote[], removable = false): unknown {
  const { node, optional, types, documented } = infoOf(schema);
  const received = jsonTypeOf(value);
  if (types !== null && !types.has(received)) {
    notes.push({ path, documented, received });
    return optional || removable ? REMOVE : value;
  }
  if (received !== "object" && received !== "array") return value;
  if (node instanceof z.ZodUnion) {
    const option = (node.options as z.ZodType[]).find((o) => infoOf(o).types?.has(received) ?? true);
    return option ? prune(option, value, path, notes) : value;
  }
  // Copies are made only where something is left out: a delivery that matches its docs is not copied.
  if (node instanceof z.ZodArray && received === "array") {
    const element = node.element as z.ZodType;
    const at = childPath(path, 0);
    const items = value as unknown[];
    let out: unknown[] | null = null;
    items.forEach((item, i) => {
      const pruned = prune(element, item, at, notes, true);
      if (pruned !== item && out === null) out = items.slice(0, i);
      if (out !== null && pruned !== REMOVE) out.push(pruned);
    });
    return out ?? value;
  }
  if (node instanceof z.ZodRecord && received === "object") {
    const valueSchema = node.valueType as z.ZodType;
    if (infoOf(valueSchema).types === null && !(infoOf(valueSchema).node instanceof z.ZodObject)) return value;
    return pruneEntries(value as Record<string, unknown>, () => valueSchema, childPath(path, 0), notes, true);
  }
  if (node instanceof z.ZodObject && received === "object") {
    const shape = node.shape as Record<string, z.ZodType>;
    return pruneEntries(value as Record<string, unknown>, (key) => (Object.hasOwn(shape, key) ? shape[key] : null), path, notes);
  }
  return value;
}

/**
 * An object's entries against their schemas (null: a key the docs do not list, noted and kept). A
 * record's entries are items named `path[]`, left out when of another type, as list items are.
 */
function pruneEntries(
  value: Record<string, unknown>,
  schemaFor: (key: string) => z.ZodType | null,
  path: string,
  notes: DriftNote[],
  record = false,
): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const child = value[key];
    const schema = schemaFor(key);
    if (schema === null) {
      notes.push({ path: childPath(path, key), documented: null, received: jsonTypeOf(child) });
      continue;
    }
    const pruned = prune(schema, child, record ? path : childPath(path, key), notes, record);
    if (pruned === child) continue;
    out ??= { ...value };
    if (pruned === REMOVE) delete out[key];
    else out[key] = pruned;
  }
  return out ?? value;
}

export type TolerantParse<T> =
  | { success: true; data: T; notes: DriftNote[] }
  | { success: false; error: z.ZodError; notes: DriftNote[] };

/**
 * Liberal on everything the history does not need: `value` is compared with the documented schema,
 * values of another JSON type are recorded as notes and left out of the parsed copy where the key
 * may be missing; the schema then checks what remains (its required keys are what the history needs).
 */
export function parseTolerant<S extends z.ZodType>(schema: S, value: unknown, prefix = ""): TolerantParse<z.infer<S>> {
  const notes: DriftNote[] = [];
  const pruned = prune(schema, value, prefix, notes);
  const parsed = schema.safeParse(pruned === REMOVE ? undefined : pruned);
  return parsed.success ? { success: true, data: parsed.data, notes } : { success: false, error: parsed.error, notes };
}

/** A body may carry any number of unknown keys; a delivery stores at most this many notes. */
export const MAX_DRIFT_NOTES = 200;

/** Notes as stored on the delivery: one string each, sorted, without repeats, at most MAX_DRIFT_NOTES. */
export function formatDriftNotes(notes: DriftNote[], extra: string[] = []): string[] {
  const all = [...new Set([...notes.map(formatDriftNote), ...extra])].sort();
  if (all.length <= MAX_DRIFT_NOTES) return all;
  return [...all.slice(0, MAX_DRIFT_NOTES - 1), `(${all.length - MAX_DRIFT_NOTES + 1} more notes not listed)`];
}

/**
 * Whether `path` (a note's path, `[]` for items) is, or lies inside, one of the paths the history
 * needs. A provider declares those paths once; its mapping fails on a note there and the property
 * tests leave them alone.
 */
export function isNeededPath(path: string, needed: readonly string[]): boolean {
  return needed.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
}

/**
 * The first note on a needed path, as a failure a person can act on; null when the history has all it needs.
 */
export function neededDriftProblem(notes: DriftNote[], needed: readonly string[]): string | null {
  // A null where the docs require a value fails the schema's own check, with its own message.
  const note = notes.find((n) => n.documented !== null && n.received !== "null" && isNeededPath(n.path, needed));
  return note ? `${note.path} is ${note.received}, documented as ${note.documented}; the history needs it` : null;
}

/** Keys present in `value` that `schema` does not declare (the unknown-key notes alone). */
export function findUnknownKeys(schema: z.ZodType, value: unknown, prefix = ""): string[] {
  const notes: DriftNote[] = [];
  prune(schema, value, prefix, notes);
  return formatDriftNotes(notes.filter((n) => n.documented === null));
}
