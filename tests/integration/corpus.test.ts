/**
 * Every provider's corpus of real payloads through the real webhook route over HTTP, correctly
 * signed where the provider signs, on PGlite and PostgreSQL: each case is acknowledged, stored with
 * the status it states, its events and drift notes are what the case says, and a redelivery (same
 * provider delivery id, or the same body) is a duplicate.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { providers } from "@/lib/providers/registry";
import { signRequest } from "@/lib/providers/sign-request";
import type { ProviderId } from "@/lib/providers/types";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";
import { GET as timelineRoute } from "@/app/api/candidates/[id]/timeline/route";
import { candidateViewSchema, timelineSchema } from "@/lib/contracts/responses";
import { call, createProviderEndpoints, routes, sendWebhook } from "../helpers/api";
import { comparableOutcome, expectedOutcome, expectedText, readCaseBody } from "../helpers/corpus";
import { fixtureQuery, readFixture } from "../helpers/fixtures";

const kinds: DbKind[] = ["pglite", "postgres"];

function greenhouseCase(nameContains: string) {
  const c = providers.greenhouse.corpus.find((entry) => entry.name.includes(nameContains));
  if (!c) throw new Error(`no Greenhouse corpus case named …${nameContains}…`);
  return c;
}

describe.each(kinds)("the providers' corpora through the webhook route on %s", (kind) => {
  let t: TestDb;
  let endpoints = {} as Record<ProviderId, { id: string; secret: string | null }>;

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    endpoints = await createProviderEndpoints("corpus");
  }, 120_000);

  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  for (const provider of Object.values(providers)) {
    provider.corpus.forEach((c, i) => {
      it(`${provider.id}: ${c.name}`, async () => {
        const ep = endpoints[provider.id];
        const body = readCaseBody(provider.id, c);
        const deliveryId = `corpus-${kind}-${provider.id}-${i}`;
        const send = () =>
          sendWebhook(ep.id, body, {
            query: fixtureQuery(c),
            contentType: c.contentType,
            headers: c.headers,
            // Only signing providers get the sender's headers; the others send exactly the case's headers.
            sign: provider.signs ? { provider: provider.id, secret: ep.secret, deliveryId } : undefined,
          });
        const res = await send();
        expect(res.status, JSON.stringify(res.json)).toBeLessThan(300);
        expect(res.json.status, JSON.stringify(res.json)).toBe(c.expect.status);

        const stored = await t.db.prisma.delivery.findUniqueOrThrow({
          where: { id: res.json.deliveryId },
          select: { body: true, status: true, error: true, schemaDrift: true, receivedAt: true },
        });
        // Stored exactly as sent: a provider that signs inside the body (Lever) sends the case with its signature fields set.
        const sent = provider.signs ? signRequest(provider, body, ep.secret, { deliveryId, now: new Date() }).body : body;
        expect(Buffer.from(stored.body).equals(sent)).toBe(true);
        const events = await t.db.prisma.event.findMany({
          where: { deliveryId: res.json.deliveryId },
          orderBy: { seq: "asc" },
          select: { type: true, stageDerived: true, occurredAt: true, jobId: true, jobTitle: true, stageTo: true, candidate: { select: { externalId: true } } },
        });
        // One stage vocabulary: an update whose stage moved is stored as a derived stage_changed; the
        // case states what the provider sent, so compare with the type before that derivation.
        for (const e of events) if (e.stageDerived) expect(e.type).toBe("stage_changed");
        const observed = {
          status: stored.status,
          error: stored.error,
          drift: (stored.schemaDrift as string[] | null) ?? [],
          events: events.map(({ stageDerived, ...e }) => ({ ...e, type: stageDerived ? "updated" : e.type, candidateExternalId: e.candidate.externalId })),
        };
        expect(comparableOutcome(observed, c.expect)).toEqual(expectedOutcome(c.expect, stored.receivedAt));
        const text = expectedText(c.expect);
        if (text !== null) expect(stored.error).toContain(text);
        // The drift notes are shown on the delivery: the delivery panel reads them from its API.
        const detail = await routes.getDelivery(res.json.deliveryId);
        expect(detail.status).toBe(200);
        expect([...(detail.json.schemaDrift ?? [])].sort()).toEqual([...observed.drift].sort());

        const again = await send();
        expect(again.status).toBe(200);
        expect(again.json).toMatchObject({ status: "duplicate", duplicateOf: res.json.deliveryId });
      });
    });
  }

  it("counts each endpoint's drift notes and the events it stored as ignored (GET /api/endpoints)", async () => {
    const res = await routes.listEndpoints();
    expect(res.status).toBe(200);
    for (const provider of Object.values(providers)) {
      const view = res.json.endpoints.find((e: { id: string }) => e.id === endpoints[provider.id].id);
      const drifting = provider.corpus.flatMap((c) => (c.expect.status === "processed" && c.expect.drift.length > 0 ? [c.expect.drift.length] : []));
      expect(view.activity.drift24h, provider.id).toEqual({ deliveries: drifting.length, notes: drifting.reduce((a, b) => a + b, 0) });
      const ignoredCases = provider.corpus.filter((c) => c.expect.status === "ignored").length;
      const ignored = view.activity.ignoredEvents24h as { eventType: string; count: number }[];
      expect(ignored.reduce((n, e) => n + e.count, 0), provider.id).toBe(ignoredCases);
      if (provider.id === "greenhouse") {
        expect(ignored.map((e) => e.eventType).sort()).toEqual(["candidate_anonymized", "delete_application", "offer_approved", "ping"]);
      }
    }
  });

  it("Greenhouse new_candidate_application starts the stage path at its first stage: the next stage change moves from there", async () => {
    const ep = endpoints.greenhouse;
    const application = JSON.parse(readCaseBody("greenhouse", greenhouseCase("new_candidate_application with its first stage")).toString("utf8"));
    // Its own candidate and application, so the corpus cases above do not interfere.
    application.payload.application.id = 71980899;
    application.payload.application.candidate.id = 60304599;
    const moved = structuredClone(application);
    moved.action = "candidate_stage_change";
    moved.payload.application.current_stage.name = "Face to Face";
    moved.payload.application.last_activity_at = "2017-10-30T09:00:00Z";
    for (const body of [application, moved]) {
      const res = await sendWebhook(ep.id, JSON.stringify(body), { sign: { provider: "greenhouse", secret: ep.secret } });
      expect(res.json.status, JSON.stringify(res.json)).toBe("processed");
    }
    const candidate = await t.db.prisma.candidate.findFirstOrThrow({ where: { provider: "greenhouse", externalId: "60304599" }, select: { id: true } });
    // Greenhouse names only where the application is now; the timeline derives where it came from.
    const page = timelineSchema.parse((await call(timelineRoute as never, "GET", `/api/candidates/${candidate.id}/timeline`, { params: { id: candidate.id } })).json);
    expect(page.events.map((e) => [e.type, e.stage])).toEqual([
      ["stage_changed", { from: "Preliminary Phone Screen", to: "Face to Face" }],
      ["applied", { from: null, to: "Preliminary Phone Screen" }],
    ]);
    const view = candidateViewSchema.parse((await routes.getCandidate(candidate.id)).json);
    expect(view.stagePaths.map((p) => [p.jobTitle, p.spans.map((s) => s.stage)])).toEqual([["Data Scientist", ["Preliminary Phone Screen", "Face to Face"]]]);
  });

  it("idibu v3: X-IdibuV3-Delivery dedupes a redelivery whose bytes differ, and a new delivery id is a new delivery", async () => {
    const ep = endpoints.idibu;
    const body = JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString("utf8"));
    body.payload.id = "v3-dedupe-1";
    const first = await sendWebhook(ep.id, JSON.stringify(body), { headers: { "x-idibuv3-delivery": "v3-dedupe", "x-idibuv3-event": "candidate.create" } });
    expect(first.json.status).toBe("processed");
    // The same delivery re-serialized by the sender: other bytes, same delivery id.
    const retry = await sendWebhook(ep.id, JSON.stringify(body, null, 2), { headers: { "x-idibuv3-delivery": "v3-dedupe", "x-idibuv3-event": "candidate.create" } });
    expect(retry.json).toMatchObject({ status: "duplicate", duplicateOf: first.json.deliveryId });
    const stored = await t.db.prisma.delivery.findUniqueOrThrow({ where: { id: first.json.deliveryId }, select: { idempotencyKey: true, idempotencySource: true } });
    expect(stored).toEqual({ idempotencyKey: "v3-dedupe", idempotencySource: "X-IdibuV3-Delivery" });
    const other = await sendWebhook(ep.id, JSON.stringify(body), { headers: { "x-idibuv3-delivery": "v3-dedupe-2", "x-idibuv3-event": "candidate.create" } });
    expect(other.json.status).toBe("processed");
  });

  it("an id sent as a number and as a string names the same candidate", async () => {
    // The Greenhouse hire example (35897443) and its variation with "35897443" as a string.
    const candidates = await t.db.prisma.candidate.findMany({
      where: { provider: "greenhouse", externalId: "35897443" },
      select: { _count: { select: { events: true } } },
    });
    expect(candidates).toHaveLength(1);
    expect(candidates[0]._count.events).toBe(2);
  });
});
