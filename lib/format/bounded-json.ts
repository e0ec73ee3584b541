/**
 * JSON text for display whose size and depth are bounded whatever the value: payloads come from
 * the internet, and `JSON.stringify(value, null, 2)` of an 82 KB body nested 5,000 levels is 50 M
 * characters (the indentation grows with depth), while a body nested 500,000 levels overflows its
 * recursion. This printer is iterative, collapses containers deeper than `maxDepth` into a
 * `{… N levels deeper}` marker and stops at `maxChars`. Unclipped output equals JSON.stringify's.
 */
export interface BoundedJsonOptions {
  /** Containers nested deeper than this are collapsed (the top-level value is depth 0). */
  maxDepth: number;
  /** Output stops after about this many characters. */
  maxChars: number;
  /** Spaces per level, as JSON.stringify's third argument; 0 gives compact one-line JSON. */
  indent?: number;
}

export interface BoundedJson {
  text: string;
  /** Something was left out (a collapsed container or the cut at maxChars): the text is not the whole value. */
  clipped: boolean;
  /** The text was cut at maxChars (it ends mid-value). */
  truncated: boolean;
  /** Containers deeper than maxDepth were collapsed into markers. */
  collapsed: boolean;
}

type Container = unknown[] | Record<string, unknown>;

interface Frame {
  value: Container;
  /** Keys still to print (arrays: indexes). */
  keys: (string | number)[];
  next: number;
  depth: number;
  printed: number;
}

function isContainer(value: unknown): value is Container {
  return value !== null && typeof value === "object";
}

function scalarText(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean" || value === null) return String(value);
  return "null";
}

/** Members JSON.stringify would print: object keys with undefined/function values are skipped. */
function memberKeys(value: Container): (string | number)[] {
  if (Array.isArray(value)) return value.map((_, i) => i);
  return Object.keys(value).filter((k) => value[k] !== undefined && typeof value[k] !== "function");
}

/** Levels of nesting inside a container (one of scalars is 1), without recursion. */
export function measureDepth(value: unknown): number {
  if (!isContainer(value)) return 0;
  let deepest = 0;
  const stack: [Container, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (isContainer(child)) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

export function formatBoundedJson(value: unknown, { maxDepth, maxChars, indent = 2 }: BoundedJsonOptions): BoundedJson {
  const out: string[] = [];
  let length = 0;
  let collapsed = false;
  const newline = indent > 0 ? "\n" : "";
  const colon = indent > 0 ? ": " : ":";
  const pad = (depth: number) => (indent > 0 ? " ".repeat(indent * depth) : "");
  const write = (text: string) => {
    out.push(text);
    length += text.length;
  };

  /** Writes a scalar or an empty/collapsed container; returns a frame for a container to open. */
  const open = (node: unknown, depth: number): Frame | null => {
    if (!isContainer(node)) {
      write(scalarText(node));
      return null;
    }
    const array = Array.isArray(node);
    const keys = memberKeys(node);
    if (keys.length === 0) {
      write(array ? "[]" : "{}");
      return null;
    }
    if (depth >= maxDepth) {
      collapsed = true;
      const levels = measureDepth(node);
      write(`${array ? "[" : "{"}… ${levels} level${levels === 1 ? "" : "s"} deeper${array ? "]" : "}"}`);
      return null;
    }
    write(array ? "[" : "{");
    return { value: node, keys, next: 0, depth, printed: 0 };
  };

  const stack: Frame[] = [];
  const first = open(value, 0);
  if (first) stack.push(first);
  while (stack.length > 0) {
    if (length > maxChars) break;
    const frame = stack.at(-1)!;
    const array = Array.isArray(frame.value);
    if (frame.next >= frame.keys.length) {
      stack.pop();
      write(`${newline}${pad(frame.depth)}${array ? "]" : "}"}`);
      continue;
    }
    const key = frame.keys[frame.next++];
    write(`${frame.printed++ > 0 ? "," : ""}${newline}${pad(frame.depth + 1)}`);
    if (!array) write(`${JSON.stringify(key)}${colon}`);
    const child = (frame.value as Record<string | number, unknown>)[key];
    const opened = open(array && (child === undefined || typeof child === "function") ? null : child, frame.depth + 1);
    if (opened) stack.push(opened);
  }

  let text = out.join("");
  const truncated = stack.length > 0 || text.length > maxChars;
  if (text.length > maxChars) text = text.slice(0, maxChars);
  return { text, clipped: collapsed || truncated, truncated, collapsed };
}
