import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { providers } from "@/lib/providers/registry";
import { signRequest } from "@/lib/providers/sign-request";
import type { ProviderId } from "@/lib/providers/types";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";
import { POST as createEndpointRoute } from "@/app/api/endpoints/route";
import { call, createProviderEndpoints, routes, sendWebhook } from "../helpers/api";
import { fixtureQuery, readFixture } from "../helpers/fixtures";

const kinds: DbKind[] = ["pglite", "postgres"];

describe.each(kinds)("ingest through the webhook route on %s", (kind) => {
  let t: TestDb;
  const endpoints = {} as Record<ProviderId, { id: string; secret: string | null }>;

  async function countRows() {
    const p = t.db.prisma;
    const [deliveries, events, candidates] = await Promise.all([p.delivery.count(), p.event.count(), p.candidate.count()]);
    return { deliveries, events, candidates };
  }

  async function storedBodies() {
    const rows = await t.db.prisma.delivery.findMany({ select: { id: true, body: true, status: true }, orderBy: { id: "asc" } });
    return rows.map((r) => `${r.id}:${createHash("sha256").update(r.body).digest("hex")}`);
  }

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    Object.assign(endpoints, await createProviderEndpoints("test"));
  }, 120_000);

  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  describe("admin endpoints API", () => {
    it("creates endpoints with an unguessable id, the webhook URL and a secret only where the provider signs", async () => {
      const res = await routes.createEndpoint({ provider: "outhire", name: "Outhire EU" });
      expect(res.status).toBe(201);
      expect(res.json.id).toMatch(/^ep_[A-Za-z0-9_-]{24,}$/);
      expect(Buffer.from(res.json.id.slice(3), "base64url").length).toBeGreaterThanOrEqual(16);
      expect(res.json.url).toBe(`http://dashboard.test/api/webhooks/${res.json.id}`);
      expect(res.json.secret).toMatch(/^whsec_/);
      expect(endpoints.greenhouse.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(endpoints.talview.secret).toBeNull();
      expect(endpoints.idibu.secret).toBeNull();
    });

    it("lists a ready-made URL per event for Talview, which binds one event to one URL", async () => {
      const res = await routes.createEndpoint({ provider: "talview", name: "Talview urls" });
      expect(res.json.setup.urls).toEqual(
        ["created", "updated", "deleted"].map((op) => ({ event: `can.candidate.${op}`, url: `${res.json.url}?event=can.candidate.${op}` })),
      );
    });

    it("builds the webhook URL from the reverse proxy's X-Forwarded headers", async () => {
      const res = await call(createEndpointRoute as never, "POST", "/api/endpoints", {
        body: JSON.stringify({ provider: "idibu", name: "behind a proxy" }),
        headers: { "x-forwarded-proto": "https", "x-forwarded-host": "hooks.example.com" },
      });
      expect(res.json.url).toBe(`https://hooks.example.com/api/webhooks/${res.json.id}`);
    });

    it("keeps a secret the user supplies", async () => {
      const res = await routes.createEndpoint({ provider: "greenhouse", name: "own secret", secret: "my-greenhouse-secret" });
      expect(res.status).toBe(201);
      expect(res.json.secret).toBe("my-greenhouse-secret");
    });

    it("never returns secrets when listing", async () => {
      const res = await routes.listEndpoints();
      expect(res.status).toBe(200);
      expect(res.json.endpoints.length).toBeGreaterThanOrEqual(4);
      expect(JSON.stringify(res.json)).not.toContain(endpoints.greenhouse.secret!);
      expect(res.json.endpoints.every((e: Record<string, unknown>) => !("secret" in e))).toBe(true);
    });

    it("rejects requests without the admin token and invalid bodies with the zod issues", async () => {
      expect((await routes.listEndpoints(false)).status).toBe(401);
      const bad = await routes.createEndpoint({ provider: "workday", name: "" });
      expect(bad.status).toBe(400);
      expect(bad.json.error).toBe("invalid_request");
      expect(bad.json.issues.map((i: { path: string[] }) => i.path[0]).sort()).toEqual(["name", "provider"]);
    });
  });

  describe("every documented payload", () => {
    for (const provider of Object.values(providers)) {
      for (const fixture of provider.fixtures) {
        it(`${provider.id}: ${fixture.name} is stored and normalized`, async () => {
          const body = readFixture(provider.id, fixture);
          const ep = endpoints[provider.id];
          const deliveryId = crypto.randomUUID();
          const res = await sendWebhook(ep.id, body, {
            query: fixtureQuery(fixture),
            contentType: fixture.contentType,
            headers: fixture.headers,
            sign: { provider: provider.id, secret: ep.secret, deliveryId },
          });
          // A documented example may be one the provider sends and we acknowledge without history (Lever's test request).
          const status = provider.corpus.find((c) => c.file === fixture.file)?.expect.status ?? "processed";
          expect(res.status, JSON.stringify(res.json)).toBe(200);
          expect(res.json.status).toBe(status);
          if (status === "processed") expect(res.json.events.length).toBeGreaterThan(0);
          const stored = await t.db.prisma.delivery.findUnique({ where: { id: res.json.deliveryId }, select: { body: true, status: true } });
          // Stored exactly as sent (a provider that signs inside the body sends the body with its signature).
          const sent = signRequest(provider, body, ep.secret, { deliveryId, now: new Date() }).body;
          expect(Buffer.from(stored!.body).equals(sent)).toBe(true);
          expect(stored!.status).toBe(status);
        });
      }
    }
  });

  it("Greenhouse: a signed stage change becomes a stage_changed event on the candidate's timeline", async () => {
    const body = readFixture("greenhouse", "fixtures/candidate-stage-change.json");
    const ep = endpoints.greenhouse;
    const res = await sendWebhook(ep.id, body, { sign: { provider: "greenhouse", secret: ep.secret, deliveryId: "gh-stage-1" } });
    expect(res.status).toBe(200);
    const candidates = await routes.listCandidates("?provider=greenhouse&q=giuseppe");
    expect(candidates.status).toBe(200);
    const candidate = candidates.json.candidates.find((c: { externalId: string }) => c.externalId === "265772");
    expect(candidate).toMatchObject({ name: "Giuseppe Hurley", email: "giuseppe.hurley@example.com", currentStage: "Assessment" });
    const events = await routes.listEvents(`?candidateId=${candidate.id}&type=stage_changed`);
    expect(events.json.events[0]).toMatchObject({ type: "stage_changed", stageTo: "Assessment", jobTitle: "Designer", provider: "greenhouse" });
  });

  it("a redelivery with the same provider delivery id is stored as a duplicate and creates no event", async () => {
    const body = readFixture("greenhouse", "fixtures/update-candidate.json");
    const ep = endpoints.greenhouse;
    const first = await sendWebhook(ep.id, body, { sign: { provider: "greenhouse", secret: ep.secret, deliveryId: "gh-redeliver-1" } });
    expect(first.status).toBe(200);
    const before = await countRows();
    const again = await sendWebhook(ep.id, body, { sign: { provider: "greenhouse", secret: ep.secret, deliveryId: "gh-redeliver-1" } });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ duplicate: true, duplicateOf: first.json.deliveryId });
    const after = await countRows();
    expect(after).toEqual({ ...before, deliveries: before.deliveries + 1 });
    const log = await routes.listDeliveries(`?status=duplicate&endpointId=${ep.id}`);
    expect(log.json.deliveries.map((d: { id: string }) => d.id)).toContain(again.json.deliveryId);
  });

  it("without a provider delivery id, an identical body is a duplicate (SHA-256 of the body)", async () => {
    const body = Buffer.from(JSON.stringify({ ...JSON.parse(readFixture("idibu", "fixtures/candidate-update.json").toString()) }));
    const ep = endpoints.idibu;
    const first = await sendWebhook(ep.id, body);
    const second = await sendWebhook(ep.id, body);
    expect(first.json.status).toBe("processed");
    expect(second.json).toMatchObject({ duplicate: true, duplicateOf: first.json.deliveryId });
  });

  it("concurrent redeliveries of one delivery store one original and the rest as duplicates", async () => {
    const body = readFixture("outhire", "fixtures/candidate-stage-changed.json");
    const ep = endpoints.outhire;
    const results = await Promise.all(
      Array.from({ length: 12 }, () => sendWebhook(ep.id, body, { sign: { provider: "outhire", secret: ep.secret, deliveryId: "msg_concurrent_1" } })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.json.status === "processed")).toHaveLength(1);
    expect(results.filter((r) => r.json.duplicate === true)).toHaveLength(11);
    const events = await t.db.prisma.event.count({ where: { delivery: { idempotencyKey: "msg_concurrent_1" } } });
    expect(events).toBe(1);
  });

  describe("bad input gets a clear answer and changes nothing already stored", () => {
    let snapshot: string[];
    beforeAll(async () => {
      snapshot = await storedBodies();
    });
    afterAll(async () => {
      // Every delivery stored before the bad inputs is still there, byte for byte.
      const now = await storedBodies();
      for (const row of snapshot) expect(now).toContain(row);
    });

    const gh = () => endpoints.greenhouse;
    const stage = () => readFixture("greenhouse", "fixtures/candidate-stage-change.json");

    it("missing signature → 401 naming the header, counted on the endpoint, nothing stored", async () => {
      const before = await countRows();
      const res = await sendWebhook(gh().id, stage());
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ error: "signature_invalid", header: "Signature" });
      expect(res.json.message).toMatch(/missing/i);
      expect(await countRows()).toEqual(before);
      const ep = await t.db.prisma.endpoint.findUnique({ where: { id: gh().id }, select: { rejectedCount: true, lastRejectReason: true } });
      expect(ep!.rejectedCount).toBeGreaterThanOrEqual(1);
      expect(ep!.lastRejectReason).toMatch(/missing/i);
    });

    it("wrong signature (other secret, or a tampered body) → 401", async () => {
      const wrong = await sendWebhook(gh().id, stage(), { sign: { provider: "greenhouse", secret: "not-the-secret" } });
      expect(wrong.status).toBe(401);
      const signedHeaders = providers.greenhouse.sign(stage(), gh().secret, { deliveryId: "x", now: new Date() });
      const tampered = Buffer.from(stage().toString().replace("Assessment", "Offer"));
      const res = await sendWebhook(gh().id, tampered, { headers: signedHeaders });
      expect(res.status).toBe(401);
      expect(res.json.message).toMatch(/does not match/i);
    });

    it("Outhire: a stale Standard Webhooks timestamp → 401 saying how old it is", async () => {
      const ep = endpoints.outhire;
      const res = await sendWebhook(ep.id, readFixture("outhire", "fixtures/candidate-applied.json"), {
        sign: { provider: "outhire", secret: ep.secret, now: new Date(Date.now() - 10 * 60_000) },
      });
      expect(res.status).toBe(401);
      expect(res.json.header).toBe("webhook-timestamp");
    });

    it("oversize body → 413", async () => {
      const before = await countRows();
      const res = await sendWebhook(endpoints.talview.id, Buffer.alloc(1024 * 1024 + 1, 0x20));
      expect(res.status).toBe(413);
      expect(res.json.error).toBe("payload_too_large");
      expect(await countRows()).toEqual(before);
    });

    it("unknown endpoint → 404, disabled endpoint → 410, enabled again → accepted", async () => {
      const missing = await sendWebhook("ep_doesnotexist0000000000000", "{}");
      expect(missing.status).toBe(404);
      expect(missing.json.error).toBe("endpoint_not_found");
      const created = await routes.createEndpoint({ provider: "talview", name: "to disable" });
      expect((await routes.patchEndpoint(created.json.id, { enabled: false })).json.enabled).toBe(false);
      const body = readFixture("talview", "fixtures/candidate-created.json");
      const disabled = await sendWebhook(created.json.id, body, { query: "?event=can.candidate.created" });
      expect(disabled.status).toBe(410);
      expect(disabled.json.error).toBe("endpoint_disabled");
      await routes.patchEndpoint(created.json.id, { enabled: true });
      const ok = await sendWebhook(created.json.id, body, { query: "?event=can.candidate.created" });
      expect(ok.status).toBe(200);
    });

    it("wrong content type → 415 naming what to send, nothing stored", async () => {
      const before = await countRows();
      const res = await sendWebhook(endpoints.talview.id, "<candidate/>", { contentType: "application/xml" });
      expect(res.status).toBe(415);
      expect(res.json.message).toMatch(/application\/json/);
      expect(await countRows()).toEqual(before);
    });

    it("malformed JSON → stored exactly, status failed with the parser's reason, acknowledged 202", async () => {
      const body = Buffer.from('{"id": 7, "first_name": "Trunc');
      const res = await sendWebhook(endpoints.talview.id, body, { query: "?event=can.candidate.updated" });
      expect(res.status).toBe(202);
      expect(res.json.status).toBe("failed");
      expect(res.json.error).toMatch(/not valid JSON/);
      const stored = await routes.getDelivery(res.json.deliveryId);
      expect(stored.json.status).toBe("failed");
      expect(Buffer.from(stored.json.body.base64, "base64").equals(body)).toBe(true);
    });

    it("invalid UTF-8 → stored, failed with the byte offset", async () => {
      const body = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      const res = await sendWebhook(endpoints.talview.id, body, { query: "?event=can.candidate.updated" });
      expect(res.status).toBe(202);
      expect(res.json.error).toMatch(/UTF-8.*offset 6/);
    });

    it("an unknown event type → stored as ignored (not understood) with the accepted types, never failed", async () => {
      const ep = endpoints.outhire;
      const body = JSON.stringify({ event: "candidate.exploded", occurred_at: "2026-03-11T00:00:00.000Z", candidate: { id: 1 } });
      const res = await sendWebhook(ep.id, body, { sign: { provider: "outhire", secret: ep.secret } });
      expect(res.status).toBe(200);
      expect(res.json.status).toBe("ignored");
      expect(res.json.reason).toMatch(/^not understood: .*candidate\.exploded.*candidate\.applied/);
    });

    it("a payload missing the candidate id → stored as failed, naming the field", async () => {
      const ep = endpoints.outhire;
      const body = JSON.stringify({ event: "candidate.applied", occurred_at: "2026-03-11T00:00:00.000Z", candidate: { name: "No Id" }, job: { id: 1, title: "x" } });
      const res = await sendWebhook(ep.id, body, { sign: { provider: "outhire", secret: ep.secret } });
      expect(res.status).toBe(202);
      expect(res.json.error).toMatch(/candidate.*id/i);
    });

    it("a Greenhouse ping is stored and ignored", async () => {
      const ep = endpoints.greenhouse;
      const res = await sendWebhook(ep.id, JSON.stringify({ action: "ping", payload: { web_hook_id: 1 } }), { sign: { provider: "greenhouse", secret: ep.secret } });
      expect(res.status).toBe(200);
      expect(res.json.status).toBe("ignored");
    });

    it("bad query parameters on the read API → 400 with the zod issues", async () => {
      const res = await routes.listEvents("?limit=100000&type=exploded");
      expect(res.status).toBe(400);
      expect(res.json.issues.map((i: { path: string[] }) => i.path[0]).sort()).toEqual(["limit", "type"]);
      expect((await routes.listCandidates("?cursor=garbage")).status).toBe(400);
      expect((await routes.listDeliveries("?status=lost")).status).toBe(400);
    });
  });

  describe("provider-specific delivery forms", () => {
    it("Talview: PUT and PATCH are accepted, the event rides on the URL in either spelling", async () => {
      const body = Buffer.from(readFixture("talview", "fixtures/candidate-updated.json").toString().replace('"id": 101', '"id": 7101'));
      const put = await sendWebhook(endpoints.talview.id, body, { method: "PUT", query: "?event=can_candidate_updated" });
      expect(put.status).toBe(200);
      expect(put.json.events[0].type).toBe("updated");
      const deleted = await sendWebhook(endpoints.talview.id, body, { method: "PATCH", query: "?event=can.candidate.deleted" });
      expect(deleted.status).toBe(200);
      // Same bytes as the update, but a different event: not a duplicate.
      expect(deleted.json.events[0].type).toBe("deleted");
    });

    it("Talview: a bare body without an event type is stored and mapped with its type marked inferred", async () => {
      const created = JSON.parse(readFixture("talview", "fixtures/candidate-created.json").toString());
      const res = await sendWebhook(endpoints.talview.id, JSON.stringify({ ...created, id: 9001 }));
      expect(res.status).toBe(200);
      const events = await routes.listEvents(`?provider=talview&type=created`);
      const event = events.json.events.find((e: { id: string }) => e.id === res.json.events[0].id);
      expect(event.typeInferred).toBe(true);
    });

    it("idibu: a form-encoded delivery maps like the JSON one", async () => {
      const form = readFixture("idibu", "fixtures/candidate-create.form-brackets.txt");
      const res = await sendWebhook(endpoints.idibu.id, form, {
        contentType: "application/x-www-form-urlencoded",
        headers: { "x-idibu-delivery": "idibu-form-1" },
      });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(res.json.events[0].type).toBe("created");
    });

    it("a method the provider does not use → 405 with Allow", async () => {
      const res = await sendWebhook(endpoints.greenhouse.id, "{}", { method: "PUT" });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
    });
  });

  describe("reprocess", () => {
    it("re-runs mapping from the stored body, idempotently: same events, same ids", async () => {
      const ep = endpoints.outhire;
      const res = await sendWebhook(ep.id, readFixture("outhire", "fixtures/candidate-applied.json"), {
        sign: { provider: "outhire", secret: ep.secret, deliveryId: "msg_reprocess_1" },
      });
      const before = await countRows();
      const again = await routes.reprocess(res.json.deliveryId);
      expect(again.status).toBe(200);
      expect(again.json.events.map((e: { id: string }) => e.id)).toEqual(res.json.events.map((e: { id: string }) => e.id));
      expect(await countRows()).toEqual(before);
      const delivery = await routes.getDelivery(res.json.deliveryId);
      expect(delivery.json.processCount).toBe(2);
    });

    it("a failed delivery stays failed with its reason; a duplicate cannot be reprocessed; unknown id → 404", async () => {
      const failed = await sendWebhook(endpoints.talview.id, "{oops", { query: "?event=can.candidate.updated" });
      const again = await routes.reprocess(failed.json.deliveryId);
      expect(again.json).toMatchObject({ status: "failed" });
      const dup = await routes.listDeliveries("?status=duplicate");
      expect((await routes.reprocess(dup.json.deliveries[0].id)).status).toBe(409);
      expect((await routes.reprocess("dlv_missing")).status).toBe(404);
    });
  });

  describe("read API", () => {
    it("pages events newest first with a keyset cursor and no overlaps", async () => {
      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await routes.listEvents(`?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
        expect(page.status).toBe(200);
        all.push(...page.json.events.map((e: { id: string }) => e.id));
        cursor = page.json.nextCursor;
      } while (cursor);
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBe(await t.db.prisma.event.count());
      const full = await routes.listEvents("?limit=500");
      const times = full.json.events.map((e: { occurredAt: string }) => Date.parse(e.occurredAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it("a candidate is found by its id, and an unknown one is 404", async () => {
      const list = await routes.listCandidates("?limit=1");
      const one = await routes.getCandidate(list.json.candidates[0].id);
      expect(one.status).toBe(200);
      expect(one.json.id).toBe(list.json.candidates[0].id);
      expect((await routes.getCandidate("cand_nope")).status).toBe(404);
    });

    it("health answers without a token", async () => {
      const res = await routes.health();
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ok: true, database: kind });
    });
  });

  it("deleting an endpoint keeps its events; its URL then answers 410 (gone)", async () => {
    const created = await routes.createEndpoint({ provider: "idibu", name: "temporary" });
    const sent = await sendWebhook(created.json.id, readFixture("idibu", "fixtures/candidate-create.json"), { headers: { "x-idibu-delivery": "tmp-1" } });
    expect(sent.status).toBe(200);
    const del = await routes.deleteEndpoint(created.json.id);
    expect(del.status).toBe(200);
    expect(await t.db.prisma.event.count({ where: { endpointId: created.json.id } })).toBe(1);
    const gone = await sendWebhook(created.json.id, "{}");
    expect(gone.status).toBe(410);
    expect(gone.json.error).toBe("endpoint_deleted");
    expect((await routes.deleteEndpoint(created.json.id)).status).toBe(404);
  });
});
