import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import type { SqlQuery } from "@/lib/db/sql";
import { deliveriesPageQuery, type ListDeliveriesOptions } from "@/lib/db/deliveries";
import { latestDeliveryPerEndpointSql } from "@/lib/db/endpoints";
import { seedScale } from "../../bench/lib/scale-seed";
import { routes } from "../helpers/api";
import { explain, type PlanNode } from "../helpers/plan";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

/**
 * The delivery log's reads cost a page, not the log: on a seeded, ANALYZEd database each page is
 * read from the index that matches its filter and order, stops after limit + 1 rows, and counts
 * each row's events with an index probe (Prisma's `_count` had aggregated every event first: 2.3 s
 * at 1,000,000 deliveries). A later change that brings back a scan fails here.
 */

const kinds: DbKind[] = ["pglite", "postgres"];

describe.each(kinds)("delivery log plans (%s)", (kind) => {
  let t: TestDb;
  let endpointId: string;
  let endpoints: string[];
  let cursor: { receivedAt: Date; id: string };

  async function planOf(options: ListDeliveriesOptions | SqlQuery): Promise<PlanNode[]> {
    return explain(t.db.sql, "text" in options ? options : deliveriesPageQuery(options), { analyze: true, buffers: true });
  }

  beforeAll(async () => {
    t = await createTestDb(kind);
    const seeded = await seedScale(t.db.sql, { candidates: 2_000, events: 20_000 });
    endpointId = seeded.samples.endpointId;
    endpoints = seeded.endpoints;
    const [middle] = await t.db.sql.query<{ received_at: Date; id: string }>({
      text: `SELECT received_at, id FROM deliveries ORDER BY received_at DESC, id DESC OFFSET 10000 LIMIT 1`,
    });
    cursor = { receivedAt: middle.received_at, id: middle.id };
    setDb(t.db);
  }, 180_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  const byTime = "deliveries_received_at_id_idx";
  const byEndpoint = "deliveries_endpoint_id_received_at_id_idx";
  const byStatus = "deliveries_status_received_at_id_idx";
  // One endpoint of eight on a small table: PostgreSQL may well walk the time index and filter
  // (the heap is in time order), which is as cheap while the endpoint is not rare; either way the
  // page must not cost more than a few pages' rows (the bound on rows filtered out).
  const cases: [string, () => ListDeliveriesOptions, string[]][] = [
    ["first page", () => ({ limit: 50 }), [byTime]],
    ["a later page by cursor", () => ({ limit: 50, cursor }), [byTime]],
    ["one endpoint", () => ({ limit: 50, endpointId }), [byEndpoint, byTime]],
    ["one endpoint, a later page", () => ({ limit: 50, endpointId, cursor }), [byEndpoint, byTime]],
    ["status=failed", () => ({ limit: 50, status: "failed" }), [byStatus]],
    ["status=failed, a later page", () => ({ limit: 50, status: "failed", cursor }), [byStatus]],
  ];

  it.each(cases)("%s: read from its index, limit + 1 rows, events counted by index probes", async (_name, options, indexes) => {
    const nodes = await planOf(options());
    const deliveryScans = nodes.filter((n) => n["Relation Name"] === "deliveries");
    expect(deliveryScans).toHaveLength(1);
    expect(deliveryScans[0]["Node Type"]).toMatch(/^Index( Only)? Scan$/);
    expect(indexes).toContain(deliveryScans[0]["Index Name"]);
    expect(deliveryScans[0]["Actual Rows"]).toBeLessThanOrEqual(51);
    expect(deliveryScans[0]["Rows Removed by Filter"] ?? 0).toBeLessThanOrEqual(1_000);
    const eventScans = nodes.filter((n) => n["Relation Name"] === "events");
    expect(eventScans.length).toBe(1);
    expect(eventScans[0]["Node Type"]).toMatch(/^Index( Only)? Scan$/);
    expect(eventScans[0]["Index Name"]).toBe("events_delivery_id_seq_key");
    expect(nodes.filter((n) => /Seq Scan|Sort|Hash/.test(n["Node Type"]))).toEqual([]);
  });

  it("endpoint activity: each endpoint's newest delivery is one index-only probe, also for an endpoint with none", async () => {
    const query = { text: latestDeliveryPerEndpointSql, params: [`{${[...endpoints, "ep_without_deliveries"].join(",")}}`] };
    const nodes = await planOf(query);
    const scans = nodes.filter((n) => n["Relation Name"] === "deliveries");
    expect(scans.map((n) => [n["Node Type"], n["Index Name"]]).sort()).toEqual([
      ["Index Only Scan", "deliveries_endpoint_id_received_at_id_idx"],
      ["Index Scan", "deliveries_pkey"],
    ]);
    for (const scan of scans) expect(scan["Rows Removed by Filter"] ?? 0).toBe(0);
    const rows = await t.db.sql.query<{ endpoint_id: string; received_at: Date; status: string }>(query);
    const expected = await t.db.sql.query<{ endpoint_id: string; received_at: Date; status: string }>({
      text: `SELECT DISTINCT ON (endpoint_id) endpoint_id, received_at, status FROM deliveries ORDER BY endpoint_id, received_at DESC, id DESC`,
    });
    const byEndpoint = (list: { endpoint_id: string }[]) => [...list].sort((a, b) => a.endpoint_id.localeCompare(b.endpoint_id));
    expect(byEndpoint(rows)).toEqual(byEndpoint(expected));
    expect(expected).toHaveLength(endpoints.length);
  });

  it("GET /api/deliveries pages through one endpoint's log exactly once, newest first, with each delivery's event count", async () => {
    const expected = await t.db.sql.query<{ id: string; n: number }>({
      text: `SELECT d.id, (SELECT count(*)::int FROM events e WHERE e.delivery_id = d.id) AS n FROM deliveries d
             WHERE d.endpoint_id = $1 ORDER BY d.received_at DESC, d.id DESC`,
      params: [endpointId],
    });
    expect(expected.length).toBeGreaterThan(1_000);
    expect(new Set(expected.map((r) => r.n))).toEqual(new Set([0, 1])); // failed and duplicate deliveries have none
    const seen: { id: string; n: number }[] = [];
    let next: string | null = "";
    while (next !== null) {
      const res = await routes.listDeliveries(`?endpointId=${endpointId}&limit=200${next ? `&cursor=${next}` : ""}`);
      expect(res.status).toBe(200);
      for (const d of res.json.deliveries) {
        expect(d.endpointId).toBe(endpointId);
        seen.push({ id: d.id, n: d.eventCount });
      }
      next = res.json.nextCursor;
    }
    expect(seen).toEqual(expected);
  });
});
