import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { recordUnknownEndpointRequest, REJECTED_KEPT_UNKNOWN } from "@/lib/db/rejected-requests";
import { UNKNOWN_LOGGED_PER_SECOND } from "@/lib/http/webhook-handler";
import { newId } from "@/lib/ids";
import { routes, sendWebhook } from "../helpers/api";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

const kinds: DbKind[] = ["pglite", "postgres"];
type Row = { id: string; httpStatus: number; error: string; endpointId: string | null; provider: string | null; reason: string; advice: string; body: unknown; size: number; headers: Record<string, string> };

/** Requests refused from the URL and headers alone (404, 410, 413): kept in the refused log too, without a body. */
describe.each(kinds)("refusals before the body is read are kept in the refused log on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  const rejected = async (query = "") => (await routes.listDeliveries(`?status=rejected${query}`)).json.deliveries as Row[];

  it("404: an unknown URL is listed as an unknown endpoint in the unfiltered log, its token masked, credentials redacted", async () => {
    const token = "ep_nosuchendpoint123456789";
    const res = await sendWebhook(token, JSON.stringify({ hello: "world" }), { headers: { authorization: "Bearer leaked", "x-auth-token": "tok-leaked", "x-trace": "visible" } });
    expect(res.status).toBe(404);
    // The answer names the URL by its first characters only, never the whole token.
    expect(res.json.message).toContain("/api/webhooks/ep_nosuc…");
    expect(JSON.stringify(res.json)).not.toContain(token);
    const [row] = await rejected();
    expect(row).toMatchObject({ httpStatus: 404, error: "endpoint_not_found", endpointId: null, provider: null, body: null, size: 17 });
    expect(row.reason).toContain("ep_nosuc…");
    expect(row.reason).not.toContain(token);
    expect(row.headers.authorization).toBe("[redacted]");
    expect(row.headers["x-auth-token"]).toBe("[redacted]"); // by pattern, as everywhere headers are shown
    expect(row.headers["x-trace"]).toBe("visible");
    expect(row.advice).toMatch(/copy the webhook URL again/i);
    // Filtered by an endpoint, it is not that endpoint's.
    const talview = await routes.createEndpoint({ provider: "talview", name: "other" });
    expect(await rejected(`&endpointId=${talview.json.id}`)).toEqual([]);
  });

  it(`a spray of 404s writes at most ${UNKNOWN_LOGGED_PER_SECOND} a second, and at most ${REJECTED_KEPT_UNKNOWN} are kept`, async () => {
    const before = await t.db.prisma.rejectedRequest.count({ where: { endpointId: null } });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => sendWebhook(`ep_spray${i}`, "{}")));
    expect(answers.every((a) => a.status === 404)).toBe(true);
    const written = (await t.db.prisma.rejectedRequest.count({ where: { endpointId: null } })) - before;
    expect(written).toBeGreaterThanOrEqual(1);
    // The 30 requests may straddle one second boundary, not more.
    expect(written).toBeLessThanOrEqual(2 * UNKNOWN_LOGGED_PER_SECOND);

    // The bound of the table itself (written directly: the rate above would take 20 s to fill it).
    const kept = await routes.createEndpoint({ provider: "talview", name: "kept" });
    await sendWebhook(kept.json.id, "<x/>", { contentType: "application/xml" });
    for (let i = 0; i < REJECTED_KEPT_UNKNOWN + 5; i++) {
      await recordUnknownEndpointRequest(t.db.prisma, { id: newId("rej"), at: new Date(), status: 404, error: "endpoint_not_found", reason: `n${i}`, method: "POST", contentType: null, source: null, headers: {}, body: Buffer.alloc(0) });
    }
    expect(await t.db.prisma.rejectedRequest.count({ where: { endpointId: null } })).toBe(REJECTED_KEPT_UNKNOWN);
    expect((await rejected("&limit=1"))[0].reason).toBe(`n${REJECTED_KEPT_UNKNOWN + 4}`);
    // A real endpoint's refusals are not pushed out by unknown ones.
    expect(await t.db.prisma.rejectedRequest.count({ where: { endpointId: kept.json.id } })).toBe(1);
  }, 120_000);

  it("410: a disabled endpoint's and a deleted endpoint's refusals are filed under the endpoint with advice per cause", async () => {
    const created = await routes.createEndpoint({ provider: "idibu", name: "off" });
    const id: string = created.json.id;
    await routes.patchEndpoint(id, { enabled: false });
    const body = JSON.stringify({ candidate: { id: "1" } });
    expect((await sendWebhook(id, body)).status).toBe(410);
    const [disabled] = await rejected(`&endpointId=${id}`);
    expect(disabled).toMatchObject({ httpStatus: 410, error: "endpoint_disabled", endpointId: id, provider: "idibu", body: null, size: body.length });
    expect(disabled.advice).toMatch(/enable it in Settings/);

    await routes.deleteEndpoint(id);
    const gone = await sendWebhook(id, body);
    expect(gone.status).toBe(410);
    expect(gone.json.error).toBe("endpoint_deleted");
    const [deleted] = await rejected(`&endpointId=${id}`);
    expect(deleted).toMatchObject({ httpStatus: 410, error: "endpoint_deleted", endpointId: id });
    expect(deleted.advice).toMatch(/deleted/);
    expect(deleted.advice).not.toMatch(/enable it/);
    const row = await t.db.prisma.endpoint.findUnique({ where: { id }, select: { rejectedCount: true } });
    expect(row!.rejectedCount).toBe(2);
  });

  it("413: a body over 1 MiB is listed with its size and no body", async () => {
    const created = await routes.createEndpoint({ provider: "talview", name: "big" });
    const res = await sendWebhook(created.json.id, Buffer.alloc(1024 * 1024 + 1, 0x20));
    expect(res.status).toBe(413);
    const [big] = await rejected(`&endpointId=${created.json.id}`);
    expect(big).toMatchObject({ httpStatus: 413, error: "payload_too_large", provider: "talview", body: null, size: 1024 * 1024 + 1 });
    expect(big.advice).toMatch(/1 MiB/);
    expect(await t.db.prisma.delivery.count({ where: { endpointId: created.json.id } })).toBe(0);
  });
});
