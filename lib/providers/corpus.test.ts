/**
 * Every provider's corpus of real payloads (lib/providers/<id>/corpus/cases.ts), through the same
 * pure path the ingest takes (decode, map, normalize): each case produces what it states.
 * tests/integration/corpus.test.ts sends the same cases through the real HTTP route.
 */
import { describe, expect, it } from "vitest";
import { normalizeDelivery } from "../ingest/process-delivery";
import { comparableOutcome, expectedOutcome, expectedText, readCaseBody } from "../../tests/helpers/corpus";
import { providers } from "./registry";

const receivedAt = new Date("2026-06-01T12:00:00.000Z");

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

  it.each(provider.corpus.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const outcome = normalizeDelivery({
      id: "dlv_corpus",
      endpointId: "ep_corpus",
      provider: provider.id,
      receivedAt,
      method: provider.methods[0],
      query: new URLSearchParams(c.query ?? {}).toString(),
      headers: { "content-type": c.contentType, ...(c.headers ?? {}) },
      contentType: c.contentType,
      body: readCaseBody(provider.id, c),
    });
    expect(comparableOutcome(outcome, c.expect)).toEqual(expectedOutcome(c.expect, receivedAt));
    const text = expectedText(c.expect);
    if (text !== null) expect(outcome.error).toContain(text);
    if (c.expect.status === "processed") expect(outcome.events).toHaveLength(1);
  });
});
