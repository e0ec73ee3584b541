import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as testDeliveryRoute } from "@/app/api/endpoints/[id]/test-delivery/route";
import { GET as exportEventsRoute } from "@/app/api/events/export.csv/route";
import { GET as statsRoute } from "@/app/api/stats/route";
import { DELETE as deleteTestDataRoute } from "@/app/api/test-data/route";
import { setDb } from "@/lib/db/client";
import { providerIds } from "@/lib/providers/types";
import { adminHeaders, BASE, call, routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";
import { webhookServerUrl } from "../helpers/webhook-server";

type Json = Record<string, any>;
const kinds: DbKind[] = ["pglite", "postgres"];

async function exportIds(query = ""): Promise<Set<string>> {
  const response = await exportEventsRoute(new Request(`${BASE}/api/events/export.csv${query}`, { headers: adminHeaders }));
  expect(response.status).toBe(200);
  const rows: Record<string, string>[] = parse(await response.text(), { columns: true, record_delimiter: "\r\n" });
  return new Set(rows.map((r) => r.candidate_id));
}

const ids = (rows: Json[]) => new Set(rows.map((r) => r.candidateId ?? r.id));

describe.each(kinds)("test deliveries are test data on %s", (kind) => {
  let t: TestDb;
  const previousOrigin = process.env.TEST_DELIVERY_ORIGIN;
  const endpoints: Record<string, string> = {};
  let realId = "";
  const testIds: string[] = [];

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    process.env.TEST_DELIVERY_ORIGIN = await webhookServerUrl();
    for (const provider of providerIds) endpoints[provider] = (await routes.createEndpoint({ provider, name: `${provider} test data` })).json.id;
    // One real candidate, which must never be touched.
    const res = await sendWebhook(endpoints.idibu, readFixture("idibu", "fixtures/candidate-create.json"), { headers: { "x-idibu-delivery": "real-1" } });
    expect(res.json.status).toBe("processed");
    realId = (await routes.listCandidates()).json.candidates[0].id;
  });
  afterAll(async () => {
    if (previousOrigin === undefined) delete process.env.TEST_DELIVERY_ORIGIN;
    else process.env.TEST_DELIVERY_ORIGIN = previousOrigin;
    setDb(undefined);
    await t.drop();
  });

  it("a test delivery of every provider is dated now, marked test and kept out of lists, exports and the overview", async () => {
    const statsBefore = (await call(statsRoute as never, "GET", "/api/stats")).json;
    for (const provider of providerIds) {
      const before = Date.now();
      const res = await call(testDeliveryRoute as never, "POST", `/api/endpoints/${endpoints[provider]}/test-delivery`, { params: { id: endpoints[provider] } });
      expect(res.status).toBe(200);
      expect(res.json, provider).toMatchObject({ httpStatus: 200, deliveryStatus: "processed" });
      expect(res.json.candidateId).toMatch(/^cand_/);
      testIds.push(res.json.candidateId);
      const view = (await routes.getCandidate(res.json.candidateId)).json;
      expect(view.isTest).toBe(true);
      // Dated now, not in the future: never on top of "most recent" with a date still to come.
      expect(Date.parse(view.lastEventAt)).toBeLessThanOrEqual(Date.now());
      expect(Date.parse(view.lastEventAt)).toBeGreaterThan(before - 60_000);
    }

    expect(ids((await routes.listCandidates()).json.candidates)).toEqual(new Set([realId]));
    const withTest = (await routes.listCandidates("?includeTest=1")).json.candidates;
    expect(ids(withTest)).toEqual(new Set([realId, ...testIds]));
    expect(withTest.filter((c: Json) => c.isTest).length).toBe(testIds.length);

    expect(ids((await routes.listEvents()).json.events)).toEqual(new Set([realId]));
    expect(ids((await routes.listEvents("?includeTest=1")).json.events)).toEqual(new Set([realId, ...testIds]));
    expect(await exportIds()).toEqual(new Set([realId]));
    expect(await exportIds("?includeTest=1")).toEqual(new Set([realId, ...testIds]));
    expect(await exportIds(`?candidateId=${testIds[0]}`)).toEqual(new Set());
    expect(await exportIds(`?candidateId=${testIds[0]}&includeTest=1`)).toEqual(new Set([testIds[0]]));

    const stats = (await call(statsRoute as never, "GET", "/api/stats")).json;
    expect(stats.totals).toEqual(statsBefore.totals);
    expect(stats.last24h.byStatus).toEqual(statsBefore.last24h.byStatus);
    expect(stats.recentEvents.map((e: Json) => e.candidateId)).toEqual([realId]);
    const statsWithTest = (await call(statsRoute as never, "GET", "/api/stats?includeTest=1")).json;
    expect(statsWithTest.totals.candidates).toBe(1 + testIds.length);
    expect(statsWithTest.last24h.total).toBe(1 + testIds.length);
  });

  it("a reprocessed test delivery stays test data", async () => {
    const deliveries = (await routes.listDeliveries()).json.deliveries.filter((d: Json) => d.endpointId === endpoints.greenhouse);
    expect(deliveries).toHaveLength(1);
    expect((await routes.reprocess(deliveries[0].id)).status).toBe(200);
    expect(ids((await routes.listCandidates()).json.candidates)).toEqual(new Set([realId]));
    expect(ids((await routes.listEvents()).json.events)).toEqual(new Set([realId]));
  });

  it("Delete test data removes the test candidates, their events and deliveries, and nothing else", async () => {
    const res = await call(deleteTestDataRoute as never, "DELETE", "/api/test-data");
    expect(res.status).toBe(200);
    expect(res.json.deleted).toEqual({ candidates: testIds.length, events: testIds.length, deliveries: testIds.length });
    expect(ids((await routes.listCandidates("?includeTest=1")).json.candidates)).toEqual(new Set([realId]));
    expect((await routes.getCandidate(testIds[0])).status).toBe(404);
    const deliveries = (await routes.listDeliveries()).json.deliveries;
    expect(deliveries).toHaveLength(1);
    expect((await routes.getCandidate(realId)).json.eventCount).toBe(1);
    // Nothing left to delete the second time.
    expect((await call(deleteTestDataRoute as never, "DELETE", "/api/test-data")).json.deleted).toEqual({ candidates: 0, events: 0, deliveries: 0 });
  });
});
