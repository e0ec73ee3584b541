import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as endpointActivityRoute } from "@/app/api/endpoints/[id]/activity/route";
import { setDb } from "@/lib/db/client";
import { REJECTED_BODY_MAX_BYTES, REJECTED_KEPT_PER_ENDPOINT } from "@/lib/db/rejected-requests";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";
import { call, routes, sendWebhook } from "../helpers/api";

const kinds: DbKind[] = ["pglite", "postgres"];

describe.each(kinds)("refused requests are kept in a bounded log on %s", (kind) => {
  let t: TestDb;
  let greenhouse: { id: string; secret: string };
  let talview: { id: string };

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    const gh = await routes.createEndpoint({ provider: "greenhouse", name: "gh rejected" });
    greenhouse = { id: gh.json.id, secret: gh.json.secret };
    talview = { id: (await routes.createEndpoint({ provider: "talview", name: "talview rejected" })).json.id };
  }, 120_000);

  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("a bad signature is listed as status=rejected with its reason, advice, redacted headers, source and the first 4 KiB of the body", async () => {
    const body = Buffer.from(JSON.stringify({ action: "candidate_stage_change", padding: "x".repeat(10_000) }));
    const res = await sendWebhook(greenhouse.id, body, {
      sign: { provider: "greenhouse", secret: "not-the-secret" },
      headers: { authorization: "Bearer leaked-token", "x-forwarded-for": "203.0.113.9, 10.0.0.1" },
    });
    expect(res.status).toBe(401);

    const list = await routes.listDeliveries(`?status=rejected&endpointId=${greenhouse.id}`);
    expect(list.status).toBe(200);
    const [rejected] = list.json.deliveries;
    expect(rejected).toMatchObject({
      status: "rejected",
      httpStatus: 401,
      error: "signature_invalid",
      endpointId: greenhouse.id,
      provider: "greenhouse",
      method: "POST",
      size: body.length,
    });
    // The connection's address: X-Forwarded-For is believed only from TRUSTED_PROXIES (unset here).
    expect(rejected.source).toMatch(/127\.0\.0\.1$/);
    expect(rejected.reason).toMatch(/signature/i);
    expect(rejected.advice).toMatch(/secret/);
    expect(rejected.headers.authorization).toBe("[redacted]");
    // Credential-like headers are redacted by name pattern (issue 14), the signature's too: the
    // refused log shows that it was sent, not its value.
    expect(rejected.headers.signature).toBe("[redacted]");
    expect(rejected.body.bytes).toBe(REJECTED_BODY_MAX_BYTES);
    expect(rejected.body.text).toBe(body.subarray(0, REJECTED_BODY_MAX_BYTES).toString());
  });

  it("an unsigned provider refused for its content type is advised about the format, not a secret", async () => {
    const res = await sendWebhook(talview.id, "<candidate/>", { contentType: "application/xml" });
    expect(res.status).toBe(415);
    const list = await routes.listDeliveries(`?status=rejected&endpointId=${talview.id}`);
    const [rejected] = list.json.deliveries;
    expect(rejected).toMatchObject({ httpStatus: 415, error: "unsupported_content_type", contentType: "application/xml", body: { text: "<candidate/>" } });
    expect(rejected.advice).toMatch(/content type/i);
    expect(rejected.advice).not.toMatch(/secret/i);
  });

  it("a wrong method keeps no body; q finds a refusal by its id or reason; from/to bound it in time", async () => {
    const res = await sendWebhook(greenhouse.id, "ping", { method: "PUT" });
    expect(res.status).toBe(405);
    const all = await routes.listDeliveries(`?status=rejected&endpointId=${greenhouse.id}`);
    const put = all.json.deliveries.find((d: { httpStatus: number }) => d.httpStatus === 405);
    expect(put).toMatchObject({ method: "PUT", body: null, size: 4 });

    const byId = await routes.listDeliveries(`?status=rejected&q=${put.id}`);
    expect(byId.json.deliveries.map((d: { id: string }) => d.id)).toEqual([put.id]);
    const byReason = await routes.listDeliveries(`?status=rejected&q=DELIVERS WITH`);
    expect(byReason.json.deliveries.map((d: { id: string }) => d.id)).toEqual([put.id]);

    const later = new Date(Date.parse(put.receivedAt) + 1).toISOString();
    const before = await routes.listDeliveries(`?status=rejected&endpointId=${greenhouse.id}&to=${encodeURIComponent(later)}`);
    expect(before.json.deliveries.map((d: { id: string }) => d.id)).toContain(put.id);
    const after = await routes.listDeliveries(`?status=rejected&endpointId=${greenhouse.id}&from=${encodeURIComponent(later)}`);
    expect(after.json.deliveries).toEqual([]);
    expect((await routes.listDeliveries(`?status=rejected&from=${encodeURIComponent(later)}&to=${encodeURIComponent(later)}`)).status).toBe(400);
  });

  it(`keeps the newest ${REJECTED_KEPT_PER_ENDPOINT} per endpoint while the counter keeps counting`, async () => {
    const flood = REJECTED_KEPT_PER_ENDPOINT + 5;
    for (let i = 0; i < flood; i++) {
      const res = await sendWebhook(greenhouse.id, JSON.stringify({ n: i }), { sign: { provider: "greenhouse", secret: "wrong" } });
      expect(res.status).toBe(401);
    }
    expect(await t.db.prisma.rejectedRequest.count({ where: { endpointId: greenhouse.id } })).toBe(REJECTED_KEPT_PER_ENDPOINT);
    const newest = await routes.listDeliveries(`?status=rejected&endpointId=${greenhouse.id}&limit=1`);
    expect(newest.json.deliveries[0].body.text).toBe(JSON.stringify({ n: flood - 1 }));
    const endpoint = await t.db.prisma.endpoint.findUnique({ where: { id: greenhouse.id }, select: { rejectedCount: true } });
    expect(endpoint!.rejectedCount).toBe(flood + 2);
    // Other endpoints' refusals are untouched by this one's bound.
    expect(await t.db.prisma.rejectedRequest.count({ where: { endpointId: talview.id } })).toBe(1);
  }, 120_000);

  it("GET /api/endpoints/{id}/activity counts every refusal per UTC day, next to the deliveries' outcomes", async () => {
    const activity = await call(endpointActivityRoute as never, "GET", `/api/endpoints/${greenhouse.id}/activity?days=14`, { params: { id: greenhouse.id } });
    expect(activity.status).toBe(200);
    expect(activity.json.days).toHaveLength(14);
    const today = activity.json.days.at(-1);
    expect(today.day).toBe(new Date().toISOString().slice(0, 10));
    expect(today).toMatchObject({ succeeded: 0, failed: 0, pending: 0, rejected: REJECTED_KEPT_PER_ENDPOINT + 7 });
    expect(activity.json.days.slice(0, -1).every((d: { rejected: number }) => d.rejected === 0)).toBe(true);
    const missing = await call(endpointActivityRoute as never, "GET", "/api/endpoints/ep_nope/activity", { params: { id: "ep_nope" } });
    expect(missing.status).toBe(404);
  });
});
