import { z } from "zod";

/**
 * Keys present in `value` that `schema` does not declare, as dotted paths
 * (`candidate.new_field`, `vacancies[].status.colour`). Providers add fields without notice;
 * we accept them (schemas are loose) but record them so a human can see the drift.
 * Records (`z.record`) and `z.unknown()` accept any key and report nothing.
 */
export function findUnknownKeys(schema: z.ZodType, value: unknown, prefix = "", maxDepth = 4): string[] {
  const found = new Set<string>();
  walk(schema, value, prefix, maxDepth, found);
  return [...found].sort();
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (let i = 0; i < 10; i++) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
  return current;
}

function walk(schema: z.ZodType, value: unknown, path: string, depth: number, found: Set<string>): void {
  if (depth < 0 || value === null || typeof value !== "object") return;
  const inner = unwrap(schema);
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    for (const item of value) walk(inner.element as z.ZodType, item, `${path}[]`, depth - 1, found);
    return;
  }
  if (inner instanceof z.ZodUnion) {
    for (const option of inner.options as z.ZodType[]) {
      if (option.safeParse(value).success) return walk(option, value, path, depth, found);
    }
    return;
  }
  if (!(inner instanceof z.ZodObject) || Array.isArray(value)) return;
  const shape = inner.shape as Record<string, z.ZodType>;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childPath = path ? `${path}.${key}` : key;
    if (!Object.hasOwn(shape, key)) {
      found.add(childPath);
      continue;
    }
    walk(shape[key], child, childPath, depth - 1, found);
  }
}
