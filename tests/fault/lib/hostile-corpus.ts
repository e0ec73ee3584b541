/**
 * A generated corpus of hostile webhook deliveries for every registered provider, built from the
 * providers' own fixtures: truncated and invalid JSON, 10,000-level nesting, 10 MB bodies (declared
 * and chunked), huge strings and arrays just under and over 1 MiB, every node of every JSON fixture
 * replaced by a value of another type, `__proto__`/`constructor` keys, invalid UTF-8, NUL bytes,
 * wrong/missing/malformed signatures, stale, future and replayed timestamps, wrong content types
 * and methods, and markup (`<script>`, `<img onerror>`) inside payload strings.
 *
 * Each case says what the ingest must answer: a 4xx (`expect: 4xx`, optionally the exact status), a
 * stored delivery (`stored`, optionally its status), or either (`any`) — never a 5xx.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { quoteLeadingZeroNumbers } from "@/lib/ingest/decode-body";
import { getProvider } from "@/lib/providers/registry";
import { signRequest } from "@/lib/providers/sign-request";
import type { Provider, ProviderFixture, ProviderId, SignOptions } from "@/lib/providers/types";

export const XSS_MARKERS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"] as const;

export type SignatureMode =
  | "valid"
  | "wrong-secret"
  | "missing"
  | "malformed"
  | "missing-id"
  | "missing-timestamp"
  | "stale"
  | "future"
  | "bad-timestamp";

export interface HostileCase {
  name: string;
  provider: ProviderId;
  method: string;
  /** With the leading `?`, or "". */
  query: string;
  /** null: no Content-Type header at all. */
  contentType: string | null;
  /** The body, or a size for a generated body that is streamed (chunked) or sent with Content-Length. */
  body: Buffer | { bytes: number; chunked: boolean };
  signature: SignatureMode;
  /** The provider's delivery id header value; repeated to replay. */
  deliveryId: string;
  /** Unix seconds override for Outhire's webhook-timestamp (stale/future/bad). */
  timestamp?: string;
  extraHeaders?: Record<string, string>;
  /** Endpoint override (unknown endpoints). */
  endpointOverride?: string;
  expect: { kind: "4xx"; status?: number } | { kind: "stored"; status?: string } | { kind: "any" };
  /** Contains XSS_MARKERS: render its delivery page and check the HTML. */
  markup?: boolean;
  /**
   * Known app bug this case hits (the delivery is stored but its processing throws, so it stays
   * `received` with no reason). Such cases run in their own `it.fails` test, not the main one.
   */
  knownBug?: string;
}

const NUL_BUG = "U+0000 or a lone surrogate reaches a PostgreSQL text/jsonb column (22021 / 22P05 / invalid json): processing throws, delivery stays `received`";
const INDEX_BUG = "a string over ~8 KB reaches a btree-indexed column (candidate external id): 54000 index row too large, delivery stays `received`";

/** Tags the cases that hit a known bug (see NUL_BUG, INDEX_BUG); the rest must pass as specified. */
function tagKnownBugs(c: HostileCase): HostileCase {
  if (/raw NUL bytes only|escaped NUL|^.*: NUL in |escaped lone surrogate/.test(c.name)) return { ...c, knownBug: NUL_BUG };
  if (c.provider === "idibu" && /string just under 1 MiB|candidate id of 10 KB/.test(c.name)) return { ...c, knownBug: INDEX_BUG };
  if (/candidate id of 10 KB/.test(c.name)) return { ...c, knownBug: INDEX_BUG };
  return c;
}

/** Where each provider's first JSON fixture keeps the candidate id (declared in the provider's folder). */
const candidateIdPath = (id: ProviderId): PathPart[] => [...getProvider(id)!.simulator.fixtureCandidateIdPath];

interface Fixture {
  provider: ProviderId;
  fixture: ProviderFixture;
  bytes: Buffer;
  /** Parsed JSON (leading-zero numbers repaired as the app does), or null for form fixtures. */
  json: unknown | null;
  query: string;
}

const root = path.resolve(import.meta.dirname, "../../..");

export function loadFixtures(providers: ProviderId[]): Fixture[] {
  const out: Fixture[] = [];
  for (const id of providers) {
    const provider = getProvider(id)!;
    for (const fixture of provider.fixtures) {
      const bytes = readFileSync(path.join(root, "lib/providers", id, fixture.file));
      let json: unknown | null = null;
      if (fixture.contentType.includes("json")) json = JSON.parse(quoteLeadingZeroNumbers(bytes.toString("utf8")).text);
      const query = fixture.query ? `?${new URLSearchParams(fixture.query)}` : "";
      out.push({ provider: id, fixture, bytes, json, query });
    }
  }
  return out;
}

type PathPart = string | number;

/** Every node below the root, depth first: its path and value. */
function nodes(value: unknown, at: PathPart[] = []): { path: PathPart[]; value: unknown }[] {
  const out: { path: PathPart[]; value: unknown }[] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push({ path: [...at, i], value: v }, ...nodes(v, [...at, i])));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) out.push({ path: [...at, k], value: v }, ...nodes(v, [...at, k]));
  return out;
}

function setAt(value: unknown, at: PathPart[], replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  // defineProperty: a fixture key named __proto__ must stay an own key.
  Object.defineProperty(copy, at[0], { value: setAt(copy[at[0]], at.slice(1), replacement), enumerable: true, writable: true, configurable: true });
  return copy;
}

function kindOf(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/** A value of another JSON type than `v`, rotating by `i` so every kind of replacement occurs. */
function otherType(v: unknown, i: number): unknown {
  const candidates: unknown[] = [12345, -1.5e300, "a string", "", true, false, null, { nested: { x: 1 } }, [1, "two", null], []];
  const others = candidates.filter((c) => kindOf(c) !== kindOf(v));
  return others[i % others.length];
}

/** The candidate-ish object a fixture's strings live in; used to place long strings and markup. */
function firstStringPath(json: unknown): PathPart[] | null {
  for (const n of nodes(json)) if (typeof n.value === "string" && n.value.length > 0) return n.path;
  return null;
}

function nameLikePaths(json: unknown): PathPart[][] {
  return nodes(json)
    .filter((n) => typeof n.value === "string" && /(^|_)(first_?name|last_?name|name|email|firstname|lastname|title|headline)$/i.test(String(n.path.at(-1))))
    .map((n) => n.path);
}

function deepArray(levels: number): string {
  return "[".repeat(levels) + "]".repeat(levels);
}
function deepObject(levels: number): string {
  return '{"a":'.repeat(levels) + "null" + "}".repeat(levels);
}

let seq = 0;
const nextId = (prefix: string) => `${prefix}-${(++seq).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export function buildHostileCorpus(providers: ProviderId[]): HostileCase[] {
  const cases: HostileCase[] = [];
  const fixtures = loadFixtures(providers);
  const firstJson = new Map<ProviderId, Fixture>();
  for (const f of fixtures) if (f.json !== null && !firstJson.has(f.provider)) firstJson.set(f.provider, f);

  const base = (f: Fixture, name: string, body: Buffer, expect: HostileCase["expect"], extra: Partial<HostileCase> = {}): HostileCase => {
    const c: HostileCase = {
      name: `${f.provider}/${path.basename(f.fixture.file)}: ${name}`,
      provider: f.provider,
      method: getProvider(f.provider)!.methods[0],
      query: f.query,
      contentType: f.fixture.contentType,
      body,
      signature: "valid",
      deliveryId: nextId(f.provider),
      expect,
      ...extra,
    };
    // A provider that signs inside the body (Lever) can sign only a JSON object: any other body
    // arrives unsigned and is refused before it is stored.
    const p = getProvider(c.provider)!;
    if (p.signs && c.expect.kind === "stored" && Buffer.isBuffer(c.body) && inBodySignature(p, c.body, "secret", { deliveryId: c.deliveryId, now: new Date() }) === "unsignable") {
      c.expect = { kind: "4xx", status: 401 };
    }
    return c;
  };
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));

  for (const f of fixtures) {
    // ---- truncated bodies: the stored raw delivery is `failed` with the parser's reason ----
    for (const fraction of [0.5, 0.97]) {
      const cut = f.bytes.subarray(0, Math.max(1, Math.floor(f.bytes.length * fraction)));
      cases.push(base(f, `truncated at ${Math.round(fraction * 100)}%`, Buffer.from(cut), f.json !== null ? { kind: "stored", status: "failed" } : { kind: "stored" }));
    }
    if (f.json === null) continue;

    // ---- every node replaced by a value of another type ----
    nodes(f.json).forEach((n, i) => {
      const replacement = otherType(n.value, i);
      cases.push(base(f, `${n.path.join(".")}: ${kindOf(n.value)} → ${JSON.stringify(replacement)}`, json(setAt(f.json, n.path, replacement)), { kind: "stored" }));
    });
  }

  for (const provider of providers) {
    const f = firstJson.get(provider)!;
    const p = getProvider(provider)!;
    const signs = p.signs;

    // ---- invalid JSON of every flavour ----
    const invalid: [string, Buffer][] = [
      ["empty body", Buffer.alloc(0)],
      ["whitespace only", Buffer.from("   \n\t ")],
      ["lone brace", Buffer.from("{")],
      ["single quotes", Buffer.from("{'id': 1}")],
      ["trailing comma", Buffer.from('{"id": 1,}')],
      ["NaN literal", Buffer.from('{"id": NaN}')],
      ["comment", Buffer.from('// hi\n{"id": 1}')],
      ["two documents", Buffer.from('{"id":1}{"id":2}')],
      ["raw NUL byte inside a string", Buffer.concat([Buffer.from('{"id": "a'), Buffer.from([0]), Buffer.from('b"}')])],
      ["raw NUL bytes only", Buffer.alloc(64)],
      ["binary garbage", Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256))],
      ["UTF-16 BOM body", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(f.json), "utf16le")])],
      ["UTF-8 BOM then JSON", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), f.bytes])],
      ["scalar root string", Buffer.from('"just a string"')],
      ["scalar root number", Buffer.from("42")],
      ["null root", Buffer.from("null")],
      ["array root", Buffer.from("[]")],
      ["array of the fixture", Buffer.from(`[${JSON.stringify(f.json)}]`)],
      ["number overflow", Buffer.from('{"id": 1e999999}')],
    ];
    for (const [name, body] of invalid) cases.push(base(f, name, body, { kind: "stored" }));

    // ---- deep nesting, 10,000 levels: whole body and inside a real payload ----
    cases.push(base(f, "10,000 nested arrays as the body", Buffer.from(deepArray(10_000)), { kind: "stored" }));
    cases.push(base(f, "10,000 nested objects as the body", Buffer.from(deepObject(10_000)), { kind: "stored" }));
    const leaf = firstStringPath(f.json)!;
    const deepInside = (shape: string) => {
      const text = JSON.stringify(setAt(f.json, leaf, "__DEEP__"));
      return Buffer.from(text.replace('"__DEEP__"', shape));
    };
    cases.push(base(f, "10,000 nested arrays inside the payload", deepInside(deepArray(10_000)), { kind: "stored" }));
    cases.push(base(f, "10,000 nested objects inside the payload", deepInside(deepObject(10_000)), { kind: "stored" }));
    cases.push(base(f, "1,000 nested objects inside the payload", deepInside(deepObject(1_000)), { kind: "stored" }));

    // ---- big bodies ----
    cases.push(base(f, "10 MB body with Content-Length", Buffer.alloc(0), { kind: "4xx", status: 413 }, { body: { bytes: 10 * 1024 * 1024, chunked: false } }));
    cases.push(base(f, "10 MB body, chunked (no Content-Length)", Buffer.alloc(0), { kind: "4xx", status: 413 }, { body: { bytes: 10 * 1024 * 1024, chunked: true } }));
    const withLeaf = (value: unknown) => json(setAt(f.json, leaf, value));
    // As sent: with the signature fields a provider that signs inside the body adds.
    const fixtureSize = signedSize(p, withLeaf(""), nextId(provider));
    const under = 1024 * 1024 - fixtureSize - 64;
    cases.push(base(f, "string just under 1 MiB", withLeaf("x".repeat(under)), { kind: "stored" }));
    cases.push(base(f, "string just over 1 MiB", withLeaf("x".repeat(under + 256)), { kind: "4xx", status: 413 }));
    cases.push(base(f, "100,000-element array (under 1 MiB)", withLeaf(Array.from({ length: 100_000 }, (_, i) => i % 10)), { kind: "stored" }));
    cases.push(base(f, "array of 550,000 zeros (over 1 MiB)", withLeaf(new Array(550_000).fill(0)), { kind: "4xx", status: 413 }));
    cases.push(base(f, "object with 30,000 keys (under 1 MiB)", withLeaf(Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, i]))), { kind: "stored" }));
    cases.push(base(f, "multibyte string just under 1 MiB", withLeaf("é".repeat(Math.floor(under / 2))), { kind: "stored" }));
    // Incompressible (TOAST would shrink a repeated character below the btree limit).
    cases.push(base(f, "candidate id of 10 KB", json(setAt(f.json, candidateIdPath(provider), randomBytes(5_000).toString("hex"))), { kind: "stored" }));

    // ---- prototype keys ----
    const proto = (text: string) => Buffer.from(JSON.stringify(f.json).replace(/^\{/, `{${text},`));
    cases.push(base(f, "__proto__ key at the root", proto('"__proto__": {"polluted": "yes", "isAdmin": true}'), { kind: "stored" }));
    cases.push(base(f, "constructor.prototype at the root", proto('"constructor": {"prototype": {"polluted": "yes"}}'), { kind: "stored" }));
    cases.push(base(f, "__proto__ replacing a leaf", Buffer.from(JSON.stringify(setAt(f.json, leaf, "__X__")).replace('"__X__"', '{"__proto__": {"toString": 1}, "hasOwnProperty": 2}')), { kind: "stored" }));
    for (const n of nodes(f.json).filter((n) => n.value !== null && typeof n.value === "object" && !Array.isArray(n.value)).slice(0, 4)) {
      const text = JSON.stringify(setAt(f.json, n.path, "__OBJ__")).replace('"__OBJ__"', JSON.stringify(n.value).replace(/^\{/, '{"__proto__": {"polluted": 1}, "constructor": "x", "toString": 5,').replace(/,\}$/, "}"));
      cases.push(base(f, `__proto__/constructor/toString keys in ${n.path.join(".")}`, Buffer.from(text), { kind: "stored" }));
    }

    // ---- invalid UTF-8 and NUL ----
    const inject = (bytes: number[]) => {
      const text = JSON.stringify(setAt(f.json, leaf, "__U__"));
      const [a, b] = text.split("__U__");
      return Buffer.concat([Buffer.from(a), Buffer.from(bytes), Buffer.from(b)]);
    };
    cases.push(base(f, "invalid UTF-8 byte 0xFF", inject([0xff, 0x41]), { kind: "stored", status: "failed" }));
    cases.push(base(f, "overlong UTF-8 encoding", inject([0xc0, 0xaf]), { kind: "stored", status: "failed" }));
    cases.push(base(f, "UTF-8-encoded lone surrogate", inject([0xed, 0xa0, 0x80]), { kind: "stored", status: "failed" }));
    cases.push(base(f, "truncated multibyte sequence", inject([0xe2, 0x82]), { kind: "stored", status: "failed" }));
    cases.push(base(f, "escaped NUL \\u0000 in a string", inject([...Buffer.from("a\\u0000b")]), { kind: "stored" }));
    cases.push(base(f, "escaped lone surrogate \\ud800 in a string", inject([...Buffer.from("a\\ud800b")]), { kind: "stored" }));
    cases.push(base(f, "escaped NUL in a key", Buffer.from(JSON.stringify(f.json).replace(/^\{/, '{"k\\u0000ey": "v",')), { kind: "stored" }));
    for (const at of nameLikePaths(f.json).slice(0, 3)) {
      cases.push(base(f, `NUL in ${at.join(".")}`, json(setAt(f.json, at, "Ja\u0000ne")), { kind: "stored" }));
    }

    // ---- markup in every name-like field, and in keys ----
    for (const [i, at] of nameLikePaths(f.json).entries()) {
      cases.push(base(f, `markup in ${at.join(".")}`, json(setAt(f.json, at, XSS_MARKERS[i % 2])), { kind: "stored" }, { markup: true }));
    }
    cases.push(base(f, "markup in a key", Buffer.from(JSON.stringify(f.json).replace(/^\{/, `{${JSON.stringify(XSS_MARKERS[0])}: ${JSON.stringify(XSS_MARKERS[1])},`)), { kind: "stored" }, { markup: true }));

    // ---- content types and methods ----
    for (const ct of ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/json; charset=latin1", "application/json; charset=utf-16", "image/png"]) {
      cases.push(base(f, `Content-Type ${ct}`, f.bytes, { kind: "4xx", status: 415 }, { contentType: ct }));
    }
    if (!p.acceptsForm) cases.push(base(f, "form content type for a JSON-only provider", f.bytes, { kind: "4xx", status: 415 }, { contentType: "application/x-www-form-urlencoded" }));
    cases.push(base(f, "no Content-Type at all (read as JSON)", f.bytes, { kind: "stored" }, { contentType: null }));
    cases.push(base(f, "Content-Type 10 KB long", f.bytes, { kind: "4xx" }, { contentType: `application/${"x".repeat(10_000)}` }));
    for (const method of ["PUT", "PATCH", "DELETE"].filter((m) => !p.methods.includes(m))) {
      cases.push(base(f, `method ${method}`, f.bytes, { kind: "4xx", status: 405 }, { method }));
    }
    cases.push(base(f, "method GET", Buffer.alloc(0), { kind: "4xx", status: 405 }, { method: "GET" }));

    // ---- unknown endpoints ----
    cases.push(base(f, "unknown endpoint id", f.bytes, { kind: "4xx", status: 404 }, { endpointOverride: "ep_doesnotexist0000000000" }));
    cases.push(base(f, "endpoint id 4,000 characters long", f.bytes, { kind: "4xx", status: 404 }, { endpointOverride: "ep_" + "a".repeat(4_000) }));
    cases.push(base(f, "endpoint id with encoded traversal", f.bytes, { kind: "4xx" }, { endpointOverride: "..%2F..%2Fetc%2Fpasswd" }));

    // ---- huge header ----
    cases.push(base(f, "a 12 KB custom header", f.bytes, { kind: "any" }, { extraHeaders: { "x-padding": "p".repeat(12_000) } }));
    cases.push(base(f, "a 40 KB custom header", f.bytes, { kind: "4xx" }, { extraHeaders: { "x-padding": "p".repeat(40_000) } }));

    // ---- signatures (signing providers); the unsigned ones ignore signature headers ----
    if (signs) {
      for (const mode of ["wrong-secret", "missing", "malformed"] as const) cases.push(base(f, `signature ${mode}`, f.bytes, { kind: "4xx", status: 401 }, { signature: mode }));
      if (provider === "outhire") {
        cases.push(base(f, "missing webhook-id", f.bytes, { kind: "4xx", status: 401 }, { signature: "missing-id" }));
        cases.push(base(f, "missing webhook-timestamp", f.bytes, { kind: "4xx", status: 401 }, { signature: "missing-timestamp" }));
        const now = Math.floor(Date.now() / 1000);
        for (const [label, ts] of [["10 minutes old", now - 600], ["1 day old", now - 86_400], ["10 minutes in the future", now + 600], ["epoch 0", 0]] as const) {
          cases.push(base(f, `correctly signed, timestamp ${label}`, f.bytes, { kind: "4xx", status: 401 }, { signature: "stale", timestamp: String(ts) }));
        }
        for (const ts of ["abc", "-5", "1e10", "99999999999999999999999999", " ", "1700000000.5"]) {
          cases.push(base(f, `timestamp ${JSON.stringify(ts)}`, f.bytes, { kind: "4xx", status: 401 }, { signature: "bad-timestamp", timestamp: ts }));
        }
      }
    } else {
      cases.push(base(f, "bogus signature headers on an unsigned provider", f.bytes, { kind: "stored" }, { extraHeaders: { signature: "sha256 " + "0".repeat(64), "webhook-signature": "v1,AAAA" } }));
    }

    // ---- replays: the same delivery id (and for Outhire the same signed timestamp) twice ----
    const replayId = nextId(`${provider}-replay`);
    const replayBody = json(setAt(f.json, leaf, `replay ${replayId}`));
    cases.push(base(f, "original of a replayed delivery", replayBody, { kind: "stored" }, { deliveryId: replayId }));
    cases.push(base(f, "replayed delivery (same id, same bytes)", replayBody, { kind: "stored", status: "duplicate" }, { deliveryId: replayId }));
  }

  // ---- provider-specific ----
  if (providers.includes("talview")) {
    const f = firstJson.get("talview")!;
    for (const q of ["?event=can.candidate.exploded", "?event=", "?event=can.candidate.created&event=can.candidate.deleted", "?event=%00", `?event=${"x".repeat(3000)}`]) {
      cases.push({ ...base(f, `query ${q.slice(0, 60)}`, f.bytes, { kind: "any" }), query: q });
    }
    cases.push({ ...base(f, "PATCH with markup in the event name", f.bytes, { kind: "any" }), method: "PATCH", query: `?event=${encodeURIComponent(XSS_MARKERS[0])}` });
  }
  if (providers.includes("idibu")) {
    const form = loadFixtures(["idibu"]).find((x) => x.json === null)!;
    const formCase = (name: string, text: string, expect: HostileCase["expect"] = { kind: "stored" }) =>
      cases.push(base(form, name, Buffer.from(text), expect, { contentType: "application/x-www-form-urlencoded", markup: text.includes("%3Cscript%3E") }));
    formCase("form: invalid percent-encoding", "payload%5Bid%5D=%zz&x=%E0%A4%A", { kind: "stored", status: "failed" });
    formCase("form: 10,000 bracket levels", `payload${"[a]".repeat(10_000)}=1`, { kind: "stored", status: "failed" });
    formCase("form: 20,000 fields", Array.from({ length: 20_000 }, (_, i) => `f${i}=1`).join("&"), { kind: "stored", status: "failed" });
    formCase("form: __proto__ fields", "__proto__[polluted]=1&payload[__proto__][x]=1&constructor[prototype][y]=2&" + form.bytes.toString());
    formCase("form: JSON field with __proto__", `payload=${encodeURIComponent('{"id":"55","__proto__":{"polluted":1}}')}&payload-information=${encodeURIComponent('{"webhook_event":"candidate.create"}')}`);
    formCase("form: invalid UTF-8 bytes", "payload[firstname]=%FF%FE&" + form.bytes.toString());
    formCase("form: NUL in a value", "payload[firstname]=a%00b&" + form.bytes.toString());
    formCase("form: markup in values", `payload[firstname]=${encodeURIComponent(XSS_MARKERS[0])}&payload[lastname]=${encodeURIComponent(XSS_MARKERS[1])}&` + form.bytes.toString());
    formCase("form: field JSON nested 10,000 deep", `payload=${encodeURIComponent(deepObject(10_000))}`);
    formCase("form: empty", "");
    formCase("form: only separators", "&&&&=&=");
  }
  return cases.map(tagKnownBugs);
}

/**
 * The request for a case, signed now (a signed timestamp fresh unless the case says otherwise) the
 * way its provider signs: headers, or fields added inside the body; `sentBody` is the bytes sent.
 */
export function requestFor(c: HostileCase, endpoint: { id: string; secret: string | null }, baseUrl: string): { url: string; init: RequestInit & { duplex?: "half" }; sentBody: Buffer | null } {
  const provider = getProvider(c.provider)!;
  const caseBody = Buffer.isBuffer(c.body) ? c.body : null;
  const signBody = caseBody ?? Buffer.alloc(0);
  const options: SignOptions = { deliveryId: c.deliveryId, now: c.signature === "stale" ? new Date(Number(c.timestamp) * 1000) : new Date() };
  // What the provider signs with this endpoint's secret, and with another one of the provider's own
  // form: the headers and body fields that differ between the two are the signature.
  const valid = signedParts(provider, signBody, endpoint.secret, options);
  const other = signedParts(provider, signBody, provider.generateSecret() ?? "not-the-secret", options);
  const signatureHeaders = Object.keys(valid.headers).filter((k) => valid.headers[k] !== other.headers[k]);
  const signatureFields = valid.fields ? Object.keys(valid.fields).filter((k) => JSON.stringify(valid.fields![k]) !== JSON.stringify(other.fields?.[k])) : [];
  const lower = { ...valid.headers };
  let fields = valid.fields;
  switch (c.signature) {
    case "wrong-secret":
      for (const k of signatureHeaders) lower[k] = other.headers[k];
      fields = other.fields;
      break;
    case "missing":
      for (const k of signatureHeaders) delete lower[k];
      fields = fields && Object.fromEntries(Object.entries(fields).filter(([k]) => !signatureFields.includes(k)));
      break;
    case "malformed":
      for (const k of signatureHeaders) lower[k] = "sha1=deadbeef";
      fields = fields && { ...fields, ...Object.fromEntries(signatureFields.map((k) => [k, "sha1=deadbeef"])) };
      break;
    case "missing-id":
      delete lower["webhook-id"];
      break;
    case "missing-timestamp":
      delete lower["webhook-timestamp"];
      break;
    case "bad-timestamp":
      lower["webhook-timestamp"] = c.timestamp!;
      break;
    default:
      break;
  }
  if (c.contentType !== null) lower["content-type"] = c.contentType;
  Object.assign(lower, c.extraHeaders ?? {});
  const bodyBytes = caseBody && fields ? spliceFields(caseBody, fields) : caseBody;
  const url = `${baseUrl}/api/webhooks/${c.endpointOverride ?? endpoint.id}${c.query}`;
  const init: RequestInit & { duplex?: "half" } = { method: c.method, headers: lower };
  if (c.method !== "GET" && c.method !== "HEAD") {
    if (bodyBytes) init.body = new Uint8Array(bodyBytes);
    else {
      const { bytes, chunked } = c.body as { bytes: number; chunked: boolean };
      if (chunked) {
        let sent = 0;
        const chunk = new Uint8Array(64 * 1024).fill(0x7b);
        init.body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent >= bytes) return controller.close();
            sent += chunk.length;
            controller.enqueue(chunk);
          },
        });
        init.duplex = "half";
      } else {
        init.body = new Uint8Array(bytes).fill(0x7b);
      }
    }
  }
  return { url, init, sentBody: bodyBytes };
}

/**
 * The signature fields a provider that signs inside the body (Lever: token, triggeredAt, signature)
 * adds to this body; "unsignable" when the body is not a JSON object it can sign; null when the
 * provider signs in headers. Read from the provider's own signBody, so the corpus names no provider.
 */
function inBodySignature(provider: Provider, body: Buffer, secret: string | null, options: SignOptions): Record<string, unknown> | "unsignable" | null {
  if (!provider.signBody) return null;
  let signed: unknown;
  let original: unknown;
  try {
    signed = JSON.parse(signRequest(provider, body, secret, options).body.toString("utf8"));
    original = JSON.parse(body.toString("utf8"));
  } catch {
    return "unsignable";
  }
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isObject(signed) || !isObject(original)) return "unsignable";
  const added = Object.entries(signed).filter(([k, v]) => !Object.hasOwn(original, k) || JSON.stringify(original[k]) !== JSON.stringify(v));
  return added.length > 0 ? Object.fromEntries(added) : "unsignable";
}

/** Headers (lower-cased) and, for in-body signatures, the fields to add, for one signing of the body. */
function signedParts(provider: Provider, body: Buffer, secret: string | null, options: SignOptions): { headers: Record<string, string>; fields: Record<string, unknown> | null } {
  const inBody = inBodySignature(provider, body, secret, options);
  const fields = inBody === "unsignable" ? null : inBody;
  const headers = provider.sign(body, secret, options);
  return { headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), fields };
}

/** The body's size as sent, with the signature fields a provider that signs inside the body adds. */
function signedSize(provider: Provider, body: Buffer, deliveryId: string): number {
  const fields = inBodySignature(provider, body, "secret", { deliveryId, now: new Date() });
  return fields === null || fields === "unsignable" ? body.length : spliceFields(body, fields).length;
}

/**
 * The case's exact bytes with the signature fields added before the closing brace (a later
 * duplicate key wins in JSON.parse), so invalid UTF-8, NULs and odd spacing reach the app as built.
 */
function spliceFields(body: Buffer, fields: Record<string, unknown>): Buffer {
  const close = body.lastIndexOf(0x7d);
  const open = body.indexOf(0x7b);
  const empty = body.subarray(open + 1, close).toString("utf8").trim() === "";
  const added = Object.entries(fields).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",");
  return Buffer.concat([body.subarray(0, close), Buffer.from(`${empty ? "" : ","}${added}`), body.subarray(close)]);
}
