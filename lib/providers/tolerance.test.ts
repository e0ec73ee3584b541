/**
 * The tolerance rule as a property of every provider module: in each processed corpus case (the
 * documented examples and the real payloads beside them), every path the history does not need
 * (Provider.neededPaths) may hold any other JSON type — string, number, boolean, null, object, array —
 * or be missing, and the delivery still maps to `processed` with the same event type, candidate,
 * time, job and stage. Generated from the cases; nothing here is written per provider.
 */
import { describe, expect, it } from "vitest";
import { classifyContentType, decodeBody } from "../ingest/decode-body";
import { childPath, isNeededPath, jsonTypeOf } from "./shared/drift";
import { providers } from "./registry";
import type { CorpusCase, IncomingDelivery, MapResult, Provider } from "./types";
import { readCaseBody } from "../../tests/helpers/corpus";

const replacements: unknown[] = ["drift", 7, true, null, { drift: true }, ["drift"]];
const REMOVE = Symbol("remove");

interface Site {
  keys: (string | number)[];
  /** As drift notes name it: `payload.vacancies[].status`. */
  path: string;
  value: unknown;
}

function sites(value: unknown, keys: (string | number)[] = [], path = ""): Site[] {
  const out: Site[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const at = childPath(path, i);
      out.push({ keys: [...keys, i], path: at, value: item }, ...sites(item, [...keys, i], at));
    });
  } else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      const at = childPath(path, key);
      out.push({ keys: [...keys, key], path: at, value: child }, ...sites(child, [...keys, key], at));
    }
  }
  return out;
}

/** A path the history needs, inside one, or on the way to one (replacing it would replace what is needed). */
function touchesNeeded(path: string, needed: readonly string[]): boolean {
  return isNeededPath(path, needed) || needed.some((p) => p.startsWith(`${path}.`) || p.startsWith(`${path}[`));
}

function withValue(root: unknown, keys: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(root);
  let parent = copy as Record<string | number, unknown>;
  for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = keys[keys.length - 1];
  if (replacement !== REMOVE) parent[last] = replacement;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return copy;
}

/** What the history takes from a mapping: everything the rule promises stays the same. */
function historyFacts(result: MapResult) {
  if (result.status !== "processed") return { status: result.status, why: result.status === "failed" ? result.error : result.reason };
  return {
    status: result.status,
    events: result.events.map((e) => ({
      type: e.type,
      candidate: e.candidate.externalId,
      occurredAt: e.occurredAt?.toISOString() ?? null,
      job: e.job,
      stage: e.stage,
      stages: e.stages ?? null,
    })),
  };
}

function decodedCase(provider: Provider, c: CorpusCase): { value: unknown; incoming: IncomingDelivery } {
  const body = readCaseBody(provider.id, c);
  const incoming: IncomingDelivery = {
    method: provider.methods[0],
    headers: { "content-type": c.contentType, ...(c.headers ?? {}) },
    query: new URLSearchParams(c.query ?? {}),
    body,
    contentType: c.contentType,
    receivedAt: new Date("2026-06-01T12:00:00Z"),
  };
  const kind = classifyContentType(c.contentType, provider);
  if (!kind.ok) throw new Error(kind.reason);
  const decoded = decodeBody(body, kind.kind, provider);
  if (!decoded.ok) throw new Error(decoded.error);
  return { value: decoded.value, incoming };
}

describe.each(Object.values(providers))("$id: any JSON type, or none, where the history needs nothing", (provider) => {
  const cases = provider.corpus.filter((c) => c.expect.status === "processed");

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { value, incoming } = decodedCase(provider, c);
    const baseline = historyFacts(provider.map(value, incoming));
    expect(baseline.status).toBe("processed");
    const varied = sites(value).filter((s) => !touchesNeeded(s.path, provider.neededPaths));
    expect(varied.length).toBeGreaterThan(2);

    const broken: string[] = [];
    let tried = 0;
    for (const site of varied) {
      for (const replacement of [...replacements, REMOVE]) {
        if (replacement !== REMOVE && jsonTypeOf(replacement) === jsonTypeOf(site.value)) continue;
        tried++;
        const facts = historyFacts(provider.map(withValue(value, site.keys, replacement), incoming));
        if (JSON.stringify(facts) !== JSON.stringify(baseline)) {
          broken.push(`${site.path} = ${replacement === REMOVE ? "(removed)" : JSON.stringify(replacement)}: ${JSON.stringify(facts).slice(0, 300)}`);
        }
      }
    }
    expect(broken.slice(0, 20)).toEqual([]);
    expect(tried).toBeGreaterThan(varied.length);
  });
});

/**
 * Ids arrive as numbers or strings and name the same candidate (`15696179` and `"15696179"`): in
 * each processed case whose candidate id is numeric, every value the history needs that holds that
 * id is sent as the other type, and the delivery maps to the same facts (the same candidate).
 */
const numericIdCases = (provider: Provider) =>
  provider.corpus.filter((c) => c.expect.status === "processed" && /^\d{1,15}$/.test((c.expect as { candidate: string }).candidate));
/** Ashby and Lever ids are UUIDs: nothing to send as a number. */
const numericIdProviders = Object.values(providers).filter((p) => numericIdCases(p).length > 0);

it("providers whose candidate ids are numbers: Greenhouse, Talview, idibu and Outhire", () => {
  expect(numericIdProviders.map((p) => p.id).sort()).toEqual(["greenhouse", "idibu", "outhire", "talview"]);
});

describe.each(numericIdProviders)("$id: a candidate id as a number or as a string is the same candidate", (provider) => {
  const numericId = numericIdCases(provider);

  it.each(numericId.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const expected = c.expect;
    if (expected.status !== "processed") throw new Error("processed cases only");
    const { value, incoming } = decodedCase(provider, c);
    const baseline = historyFacts(provider.map(value, incoming));
    const idSites = sites(value).filter((s) => isNeededPath(s.path, provider.neededPaths) && String(s.value) === expected.candidate);
    expect(idSites.length).toBeGreaterThan(0);
    let flipped = value;
    for (const site of idSites) flipped = withValue(flipped, site.keys, typeof site.value === "number" ? String(site.value) : Number(site.value));
    expect(historyFacts(provider.map(flipped, incoming))).toEqual(baseline);
  });
});
