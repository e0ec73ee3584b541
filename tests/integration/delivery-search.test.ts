import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as bulkReprocessRoute } from "@/app/api/deliveries/reprocess/route";
import { setDb } from "@/lib/db/client";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";
import { adminHeaders, BASE, routes, sendWebhook } from "../helpers/api";

const kinds: DbKind[] = ["pglite", "postgres"];
const idibuCreate = JSON.parse(readFileSync(path.join(import.meta.dirname, "../../lib/providers/idibu/fixtures/candidate-create.json"), "utf8"));

describe.each(kinds)("delivery log search, date range and bulk reprocess on %s", (kind) => {
  let t: TestDb;
  let idibuEndpoint = "";
  let talviewEndpoint = "";
  const idempotencyKey = `idibu-delivery-${Date.now()}`;
  const candidateExternalId = `cand-search-${Date.now()}`;
  let idibuDelivery = "";
  const failed: string[] = [];

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    idibuEndpoint = (await routes.createEndpoint({ provider: "idibu", name: "idibu search" })).json.id;
    talviewEndpoint = (await routes.createEndpoint({ provider: "talview", name: "talview search" })).json.id;
    const body = structuredClone(idibuCreate);
    body.payload.id = candidateExternalId;
    const res = await sendWebhook(idibuEndpoint, JSON.stringify(body), { headers: { "x-idibu-delivery": idempotencyKey } });
    expect(res.status).toBe(200);
    idibuDelivery = res.json.deliveryId;
    for (let i = 0; i < 2; i++) {
      const broken = await sendWebhook(talviewEndpoint, `{"id": ${i}, "first_name": "Trunc`, { query: "?event=can.candidate.updated" });
      expect(broken.status).toBe(202);
      failed.push(broken.json.deliveryId);
    }
  }, 120_000);

  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  const ids = async (query: string) => {
    const res = await routes.listDeliveries(query);
    expect(res.status).toBe(200);
    return res.json.deliveries.map((d: { id: string }) => d.id);
  };

  it("q finds a delivery by its id, its idempotency key and the provider's candidate id", async () => {
    expect(await ids(`?q=${idibuDelivery}`)).toEqual([idibuDelivery]);
    expect(await ids(`?q=${idempotencyKey}`)).toEqual([idibuDelivery]);
    expect(await ids(`?q=${candidateExternalId}`)).toEqual([idibuDelivery]);
    expect(await ids(`?q=no-such-thing`)).toEqual([]);
    // q combines with the other filters.
    expect(await ids(`?q=${idibuDelivery}&endpointId=${talviewEndpoint}`)).toEqual([]);
  });

  it("from and to bound the log by receive time", async () => {
    const all = (await routes.listDeliveries("")).json.deliveries as { id: string; receivedAt: string }[];
    const oldest = all.at(-1)!;
    const afterOldest = new Date(Date.parse(oldest.receivedAt) + 1).toISOString();
    expect(await ids(`?to=${encodeURIComponent(afterOldest)}`)).toEqual([oldest.id]);
    expect(await ids(`?from=${encodeURIComponent(afterOldest)}`)).not.toContain(oldest.id);
  });

  it("POST /api/deliveries/reprocess reprocesses the filtered set, streaming done/total progress", async () => {
    const response = await bulkReprocessRoute(
      new Request(`${BASE}/api/deliveries/reprocess?status=failed&endpointId=${talviewEndpoint}`, { method: "POST", headers: adminHeaders }),
    );
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: "progress", done: 0, total: 2 });
    expect(lines.filter((l) => l.type === "progress").map((l) => l.done)).toEqual([0, 1, 2]);
    expect(lines.at(-1)).toMatchObject({ type: "result", done: 2, total: 2, failed: 2, capped: false });
    for (const id of failed) expect((await routes.getDelivery(id)).json.processCount).toBe(2);
    // The idibu delivery was outside the filter: untouched.
    expect((await routes.getDelivery(idibuDelivery)).json.processCount).toBe(1);
  });
});
