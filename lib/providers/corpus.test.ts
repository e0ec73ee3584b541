/**
 * Every provider's corpus of real payloads (lib/providers/<id>/corpus/cases.ts), through the same
 * pure path the ingest takes (decode, map, normalize): each case produces what it states.
 * tests/integration/corpus.test.ts sends the same cases through the real HTTP route.
 */
import { describe, expect, it } from "vitest";
import { isDeepStrictEqual } from "node:util";
import { classifyContentType, decodeBody } from "../ingest/decode-body";
import { normalizeDelivery } from "../ingest/process-delivery";
import { comparableOutcome, expectedOutcome, expectedText, readCaseBody } from "../../tests/helpers/corpus";
import { providers } from "./registry";

const receivedAt = new Date("2026-06-01T12:00:00.000Z");

/** Every value in a decoded body: the body itself and each object, array and scalar inside it. */
function* nodes(value: unknown): Generator<unknown> {
  yield value;
  if (value !== null && typeof value === "object") for (const child of Object.values(value)) yield* nodes(child);
}

describe.each(Object.values(providers))("$id corpus", (provider) => {
  it("includes every documented fixture, and every case names its source", () => {
    const files = provider.corpus.map((c) => c.file);
    for (const fixture of provider.fixtures) expect(files).toContain(fixture.file);
    for (const c of provider.corpus) expect(c.source.length, c.name).toBeGreaterThan(20);
  });

  it("covers processed and ignored deliveries", () => {
    expect(provider.corpus.some((c) => c.expect.status === "processed")).toBe(true);
    expect(provider.corpus.some((c) => c.expect.status === "ignored")).toBe(true);
  });

  /** A corpus case as the route stores it, normalized (what processing makes of it). */
  const normalizeCase = (c: (typeof provider.corpus)[number], body: Buffer) =>
    normalizeDelivery({
      id: "dlv_corpus",
      endpointId: "ep_corpus",
      provider: provider.id,
      receivedAt,
      method: provider.methods[0],
      query: new URLSearchParams(c.query ?? {}).toString(),
      headers: { "content-type": c.contentType, ...(c.headers ?? {}) },
      contentType: c.contentType,
      body,
    });

  it.each(provider.corpus.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const outcome = normalizeCase(c, readCaseBody(provider.id, c));
    expect(comparableOutcome(outcome, c.expect)).toEqual(expectedOutcome(c.expect, receivedAt));
    const text = expectedText(c.expect);
    if (text !== null) expect(outcome.error).toContain(text);
    if (c.expect.status === "processed") expect(outcome.events).toHaveLength(1);
  });

  // Snapshots keep the value exactly as received: the tolerant parse leaves values of another type
  // out of what it reads, never out of (or converted in) the snapshot, so diffs compare what was sent.
  it.each(provider.corpus.filter((c) => c.expect.status === "processed").map((c) => [c.name, c] as const))(
    "%s: the snapshot is a value of the body exactly as received",
    (_name, c) => {
      const body = readCaseBody(provider.id, c);
      const kind = classifyContentType(c.contentType, provider);
      if (!kind.ok) throw new Error(kind.reason);
      const decoded = decodeBody(body, kind.kind, provider);
      if (!decoded.ok) throw new Error(decoded.error);
      const outcome = normalizeCase(c, body);
      const received = [...nodes(decoded.value)];
      const isReceived = (value: unknown) => received.some((node) => isDeepStrictEqual(node, value));
      for (const event of outcome.events) {
        // Only a deletion or merge may come without a snapshot (Ashby's bodies hold none of the
        // Application fields its snapshots are made of); every other event carries one.
        if (event.snapshot === null) {
          expect(["deleted", "merged"]).toContain(event.type);
          continue;
        }
        // A partial snapshot (provider.history.partialSnapshots: Greenhouse's delete and merge carry
        // only the candidate id) is built from the body's values: each of them as received.
        const partial = event.providerEvent !== null && (provider.history.partialSnapshots ?? []).includes(event.providerEvent);
        if (partial) for (const value of Object.values(event.snapshot as object)) expect(isReceived(value)).toBe(true);
        else expect(isReceived(event.snapshot)).toBe(true);
      }
    },
  );
});
