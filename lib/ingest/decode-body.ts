import type { Provider } from "../providers/types";

export type BodyKind = "json" | "form";

export type ContentTypeCheck = { ok: true; kind: BodyKind } | { ok: false; reason: string };

/**
 * Which decoder a content type calls for. A missing content type is read as JSON: some senders
 * omit it, and the body is stored either way.
 */
export function classifyContentType(contentType: string | null, provider: Provider): ContentTypeCheck {
  const [mediaType = "", ...params] = (contentType ?? "").split(";").map((p) => p.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith("charset="))?.slice("charset=".length).replace(/"/g, "");
  if (charset && !["utf-8", "utf8", "us-ascii"].includes(charset)) {
    return { ok: false, reason: `charset "${charset}" is not supported; send UTF-8` };
  }
  if (mediaType === "" || mediaType === "application/json" || mediaType === "text/json" || /^application\/[\w.+-]+\+json$/.test(mediaType)) {
    return { ok: true, kind: "json" };
  }
  if (mediaType === "application/x-www-form-urlencoded" && provider.acceptsForm && provider.decodeForm) {
    return { ok: true, kind: "form" };
  }
  const accepted = provider.acceptsForm ? "application/json or application/x-www-form-urlencoded" : "application/json";
  return { ok: false, reason: `Content-Type "${mediaType}" is not accepted for ${provider.displayName}; send ${accepted}` };
}

export type DecodeResult = { ok: true; value: unknown; notes: string[] } | { ok: false; error: string };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function decodeBody(body: Buffer, kind: BodyKind, provider: Provider): DecodeResult {
  if (body.length === 0) return { ok: false, error: "body is empty" };
  if (kind === "form") {
    try {
      return { ok: true, value: provider.decodeForm!(body), notes: [] };
    } catch (error) {
      return { ok: false, error: `form body could not be decoded: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { ok: false, error: `body is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8Offset(body)})` };
  }
  try {
    return { ok: true, value: JSON.parse(text), notes: [] };
  } catch (error) {
    const repaired = quoteLeadingZeroNumbers(text);
    if (repaired.changed.length > 0) {
      try {
        return {
          ok: true,
          value: JSON.parse(repaired.text),
          notes: repaired.changed.map((t) => `number ${t} with leading zeros read as the string "${t}"`),
        };
      } catch {
        // fall through to the original error, which points at the first real problem
      }
    }
    return { ok: false, error: `body is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Greenhouse's own documented example sends `"external_id": 00000`, which JSON forbids. An id
 * with leading zeros is an identifier, not a number, so it is kept digit for digit as a string.
 * Only tokens outside strings are touched.
 */
export function quoteLeadingZeroNumbers(text: string): { text: string; changed: string[] } {
  const changed: string[] = [];
  let out = "";
  let i = 0;
  let last = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      i++;
      continue;
    }
    if ((ch === "0" || ch === "-") && /[\s:,[]/.test(prevNonSpace(text, i))) {
      const match = /^-?0\d+(?![\d.eE])/.exec(text.slice(i, i + 64));
      if (match) {
        out += text.slice(last, i) + `"${match[0]}"`;
        changed.push(match[0]);
        i += match[0].length;
        last = i;
        continue;
      }
    }
    i++;
  }
  return { text: changed.length ? out + text.slice(last) : text, changed };
}

function prevNonSpace(text: string, index: number): string {
  for (let j = index - 1; j >= 0; j--) if (!/\s/.test(text[j])) return text[j];
  return "[";
}

function firstInvalidUtf8Offset(body: Buffer): number {
  // Binary search on the longest valid prefix keeps this O(n log n) even on 1 MiB bodies.
  let lo = 0;
  let hi = body.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (isValidUtf8Prefix(body.subarray(0, mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function isValidUtf8Prefix(bytes: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
