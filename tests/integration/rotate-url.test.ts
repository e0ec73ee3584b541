import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as rotateUrlRoute } from "@/app/api/endpoints/[id]/rotate-url/route";
import { endpointListSchema, rotatedUrlSchema } from "@/lib/contracts/responses";
import { setDb } from "@/lib/db/client";
import { call, routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

const kinds: DbKind[] = ["pglite", "postgres"];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(kinds)("rotating the webhook URL of an unsigned provider on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  const rotateUrl = (id: string, body: unknown) =>
    call(rotateUrlRoute as never, "POST", `/api/endpoints/${id}/rotate-url`, { params: { id }, body: JSON.stringify(body) });
  const body = readFixture("talview", "fixtures/candidate-updated.json");
  const send = (token: string) => sendWebhook(token, body, { query: "?event=can.candidate.updated" });
  const tokenOf = (url: string) => new URL(url).pathname.split("/").at(-1)!;
  const viewOf = async (id: string) => endpointListSchema.parse((await routes.listEndpoints()).json).endpoints.find((e) => e.id === id)!;

  it("the new URL works at once, the old one during the overlap window only; deliveries stay the endpoint's", async () => {
    const created = await routes.createEndpoint({ provider: "talview", name: "leaky url" });
    const id: string = created.json.id;
    const oldToken = tokenOf(created.json.url);
    expect(oldToken).toBe(id);
    expect((await send(oldToken)).status).toBe(200);

    // A short window (2 s) so the test sees it end.
    const rotated = await rotateUrl(id, { overlapHours: 2 / 3600 });
    expect(rotated.status).toBe(200);
    const { url, previousUrlValidUntil } = rotatedUrlSchema.parse(rotated.json);
    const newToken = tokenOf(url);
    expect(newToken).toMatch(/^whk_[A-Za-z0-9_-]{24}$/);
    expect(url).not.toContain(id);

    const view = await viewOf(id);
    expect(view.url).toBe(url);
    expect(view.previousUrl).toBe(created.json.url);
    expect(view.previousUrlValidUntil).toBe(previousUrlValidUntil);
    expect(view.urlRotatedAt).not.toBeNull();

    expect((await send(oldToken)).status).toBe(200);
    const fresh = await send(newToken);
    expect(fresh.status).toBe(200);
    const delivery = await routes.getDelivery(fresh.json.deliveryId);
    expect(delivery.json.endpointId).toBe(id);

    await sleep(Math.max(0, Date.parse(previousUrlValidUntil) - Date.now()) + 50);
    const late = await send(oldToken);
    expect(late.status).toBe(404);
    expect(late.json.error).toBe("endpoint_url_replaced");
    expect((await send(newToken)).status).toBe(200);
    // The endpoint's refused log says a sender is still on the replaced URL, and what to do.
    const [refused] = (await routes.listDeliveries(`?status=rejected&endpointId=${id}`)).json.deliveries;
    expect(refused).toMatchObject({ httpStatus: 404, error: "endpoint_url_replaced", endpointId: id, provider: "talview", body: null });
    expect(refused.advice).toMatch(/current URL/);

    const after = await viewOf(id);
    expect(after.previousUrl).toBeNull();
    expect(after.previousUrlValidUntil).toBeNull();
    // The same body four times: the first one processed, the rest recognised as duplicates, all through one endpoint.
    const { processed, ignored, duplicate } = after.activity.last24h;
    expect(processed + ignored + duplicate).toBe(4);
  });

  it("a second rotation ends the first previous URL at once (one previous URL at a time); overlapHours 0 ends the old one at once", async () => {
    const created = await routes.createEndpoint({ provider: "idibu", name: "twice" });
    const id: string = created.json.id;
    const first = rotatedUrlSchema.parse((await rotateUrl(id, {})).json);
    expect(Date.parse(first.previousUrlValidUntil) - Date.now()).toBeGreaterThan(24 * 3600_000 - 60_000);
    const second = rotatedUrlSchema.parse((await rotateUrl(id, { overlapHours: 0 })).json);
    const tokens = await t.db.prisma.endpointUrl.findMany({ where: { endpointId: id }, orderBy: { createdAt: "asc" } });
    // The id (the first URL) is gone; the first rotated URL ended now; the second is current.
    expect(tokens.map((u) => u.token)).toEqual([tokenOf(first.url), tokenOf(second.url)]);
    expect(tokens[0].validUntil!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(tokens[1].validUntil).toBeNull();
    const idibuBody = Buffer.from(JSON.stringify({ id: "1" }));
    const dropped = await sendWebhook(id, idibuBody);
    expect([dropped.status, dropped.json.error]).toEqual([404, "endpoint_not_found"]);
    const ended = await sendWebhook(tokenOf(first.url), idibuBody);
    expect([ended.status, ended.json.error]).toEqual([404, "endpoint_url_replaced"]);
    expect((await viewOf(id)).url).toBe(second.url);
  });

  it("signed providers rotate their secret instead; unknown endpoints are 404; the rotation is audited without the URL", async () => {
    const signed = await routes.createEndpoint({ provider: "greenhouse", name: "signed" });
    const refused = await rotateUrl(signed.json.id, {});
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe("url_rotation_not_needed");
    expect((await rotateUrl("ep_missing", {})).status).toBe(404);
    const talview = await routes.createEndpoint({ provider: "talview", name: "audited" });
    expect((await rotateUrl(talview.json.id, { overlapHours: -1 })).status).toBe(400);
    const rotated = rotatedUrlSchema.parse((await rotateUrl(talview.json.id, { overlapHours: 1 })).json);
    const entries = await t.db.prisma.auditEntry.findMany({ where: { action: "endpoint.rotate-url", target: { contains: talview.json.id } } });
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries[0].details)).not.toContain(tokenOf(rotated.url));
  });

  it("an endpoint inserted by plain SQL gets its id as its first URL (the trigger)", async () => {
    await t.db.sql.query({ text: `INSERT INTO endpoints (id, provider, name, updated_at) VALUES ('ep_by_sql', 'talview', 'sql', now())` });
    const urls = await t.db.prisma.endpointUrl.findMany({ where: { endpointId: "ep_by_sql" } });
    expect(urls.map((u) => [u.token, u.validUntil])).toEqual([["ep_by_sql", null]]);
  });
});
