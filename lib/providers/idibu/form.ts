/**
 * Decodes an `application/x-www-form-urlencoded` idibu delivery into the same object the JSON body
 * gives. idibu is a PHP system, and PHP senders produce one of two encodings:
 *   (a) fields whose values are JSON: `payload={"id":"12345",…}&payload-information={…}`
 *   (b) http_build_query bracket notation: `payload[vacancies][0][status][label]=Applicants`
 * Both (and a mix) are handled field by field. The body is attacker-reachable, so prototype keys are
 * skipped and depth and field count are capped.
 */

export const MAX_FORM_FIELDS = 10_000;
export const MAX_FORM_DEPTH = 20;

export class IdibuFormError extends Error {
  override name = "IdibuFormError";
}

export type IdibuFormObject = Record<string, unknown>;

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Containers built from bracket keys; only these are turned into arrays, never JSON-decoded values. */
type Container = Record<string, unknown>;

export function decodeIdibuForm(body: Buffer): IdibuFormObject | IdibuFormError {
  const text = body.toString("utf8");
  const pairs = text === "" ? [] : text.split("&");
  if (pairs.length > MAX_FORM_FIELDS) {
    return new IdibuFormError(`form body has ${pairs.length} fields; at most ${MAX_FORM_FIELDS} are accepted`);
  }

  const root: Container = {};
  const built = new WeakSet<object>();

  for (const pair of pairs) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    const key = decodeComponent(rawKey);
    const value = decodeComponent(rawValue);
    if (key === null || value === null) {
      return new IdibuFormError(`form field ${JSON.stringify(rawKey.slice(0, 100))} is not valid percent-encoding`);
    }

    const path = splitKey(key);
    if (path.length === 0) continue;
    if (path.length > MAX_FORM_DEPTH) {
      return new IdibuFormError(
        `form field ${JSON.stringify(key.slice(0, 100))} nests ${path.length} levels; at most ${MAX_FORM_DEPTH} are accepted`,
      );
    }
    if (path.some((segment) => segment !== null && FORBIDDEN_KEYS.has(segment))) continue;

    if (path.length === 1) {
      root[path[0] as string] = decodeJsonField(value);
      continue;
    }

    let container = root;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i] ?? nextIndex(container);
      if (i === path.length - 1) {
        container[segment] = value;
        break;
      }
      const existing = Object.hasOwn(container, segment) ? container[segment] : undefined;
      if (existing !== null && typeof existing === "object" && built.has(existing)) {
        container = existing as Container;
      } else {
        // PHP semantics: a later bracketed field replaces an earlier scalar of the same name.
        const child: Container = {};
        built.add(child);
        container[segment] = child;
        container = child;
      }
    }
  }

  // The root stays an object even with numeric field names: the body is always a record of fields.
  for (const key of Object.keys(root)) root[key] = finalize(root[key], built);
  return root;
}

function decodeComponent(value: string): string | null {
  try {
    return decodeURIComponent(value.replaceAll("+", " "));
  } catch {
    return null;
  }
}

/**
 * `payload[vacancies][0][id]` → ["payload", "vacancies", "0", "id"]; an empty bracket (`videos[]`)
 * is null, meaning "append". A key that is not well-formed bracket notation is taken literally.
 */
function splitKey(key: string): Array<string | null> {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return key === "" ? [] : [key];
  const segments: Array<string | null> = [match[1]];
  for (const [, inner] of match[2].matchAll(/\[([^[\]]*)\]/g)) segments.push(inner === "" ? null : inner);
  return segments;
}

function nextIndex(container: Container): string {
  let next = 0;
  for (const key of Object.keys(container)) {
    if (isIndex(key)) next = Math.max(next, Number(key) + 1);
  }
  return String(next);
}

function isIndex(key: string): boolean {
  return /^(0|[1-9]\d{0,8})$/.test(key);
}

/** Only values that look like JSON containers are parsed; anything else stays the string it was. */
function decodeJsonField(value: string): unknown {
  const trimmed = value.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

/** Bracket containers whose keys are exactly 0..n-1 become arrays; gapped ones stay objects, as PHP's json_encode would. */
function finalize(value: unknown, built: WeakSet<object>): unknown {
  if (value === null || typeof value !== "object" || !built.has(value)) return value;
  const container = value as Container;
  const keys = Object.keys(container);
  for (const key of keys) container[key] = finalize(container[key], built);
  if (keys.length > 0 && keys.every((key, i) => key === String(i))) return keys.map((key) => container[key]);
  return container;
}
