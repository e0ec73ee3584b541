/**
 * PostgreSQL text and jsonb cannot hold U+0000, and jsonb refuses lone UTF-16 surrogates; JSON allows
 * both (`"\u0000"`, `"\ud800"`). The raw body keeps them byte for byte; the normalized copies get
 * U+FFFD in their place so that storing them cannot fail.
 */
export function postgresSafeString(value: string): string {
  const wellFormed = value.isWellFormed() ? value : value.toWellFormed();
  return wellFormed.includes("\u0000") ? wellFormed.replaceAll("\u0000", "\uFFFD") : wellFormed;
}

export function postgresSafe<T>(value: T): T {
  if (typeof value === "string") return postgresSafeString(value) as T;
  if (Array.isArray(value)) return value.map((v) => postgresSafe(v)) as T;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // defineProperty: a "__proto__" key from a payload stays plain data.
      Object.defineProperty(out, postgresSafeString(k), { value: postgresSafe(v), enumerable: true, writable: true, configurable: true });
    }
    return out as T;
  }
  return value;
}
