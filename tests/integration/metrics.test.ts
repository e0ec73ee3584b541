/**
 * `GET /metrics` on the server's request listener (lib/http/route-requests.ts, what `npm start`
 * serves): Prometheus text, behind METRICS_TOKEN or the admin credential, counting what really
 * went through the webhook route and the database.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setDb } from "@/lib/db/client";
import { routeRequests } from "@/lib/http/route-requests";
import { routeOf } from "@/lib/metrics/http-metrics";
import { apiDispatcher } from "@/lib/http/api-dispatch";
import { apiDir } from "../helpers/route-files";
import { routes } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type TestDb } from "../helpers/test-db";

const METRICS_TOKEN = vi.hoisted(() => {
  const token = "metrics-token-0123456789abcdef";
  process.env.METRICS_TOKEN = token;
  return token;
});

function idibuBody(externalId: string): string {
  const fixture = JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString("utf8"));
  fixture.payload.id = externalId;
  return JSON.stringify(fixture);
}

/** One sample's value from the text format (0 when the series is absent). */
function sample(text: string, series: string): number {
  for (const line of text.split("\n")) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return 0;
}

describe("routeOf", () => {
  it("gives bounded route patterns: ids become :id, unknown paths `other`", () => {
    expect(routeOf("/api/webhooks/ep_123?x=1")).toBe("/api/webhooks/:endpointId");
    expect(routeOf("/api/candidates/cand_1/timeline?cursor=abc")).toBe("/api/candidates/:id/timeline");
    expect(routeOf("/api/deliveries/dlv_9/reprocess")).toBe("/api/deliveries/:id/reprocess");
    expect(routeOf("/api/events/export.csv")).toBe("/api/events/export.csv");
    expect(routeOf("/api/deliveries?status=failed")).toBe("/api/deliveries");
    expect(routeOf("/candidates/cand_1")).toBe("/candidates/:id");
    expect(routeOf("/")).toBe("/");
    expect(routeOf("/_next/static/chunks/a.js")).toBe("/_next/*");
    for (const junk of ["/wp-admin/x.php", "/api/nothing/1", "/api/candidates/1/2/3/4/5", "/candidates/1/2", "/.env"]) expect(routeOf(junk), junk).toBe("other");
  });
});

describe("GET /metrics (postgres)", () => {
  let t: TestDb;
  let server: Server;
  let url: string;
  let endpointId: string;
  const scrape = async (token = METRICS_TOKEN) => {
    const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return response.text();
  };
  const post = (id: string, body: string) => fetch(`${url}/api/webhooks/${id}`, { method: "POST", headers: { "content-type": "application/json" }, body });

  beforeAll(async () => {
    t = await createTestDb("postgres");
    setDb(t.db);
    endpointId = (await routes.createEndpoint({ provider: "idibu", name: "metrics" })).json.id;
    server = createServer(
      routeRequests(
        (_req, res) => {
          res.writeHead(200, { "content-type": "text/plain" });
          res.end("framework");
        },
        () => {},
        apiDispatcher(apiDir),
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    server?.close();
    setDb(undefined);
    await t?.drop();
  });

  it("answers only to METRICS_TOKEN or the admin credential", async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${url}/metrics`, { headers: { authorization: "Bearer metrics-token-0123456789abcdeX" } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "unauthorized" });
    expect((await fetch(`${url}/metrics`, { method: "POST", headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(405);
    const byToken = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(byToken.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await byToken.text()).toContain("# TYPE webhook_deliveries_total counter");
    expect(await scrape(process.env.ADMIN_TOKEN!)).toContain("# TYPE http_request_duration_seconds histogram");
  });

  it("counts deliveries by provider and outcome, refusals by reason, and the latencies of what went through", async () => {
    const before = await scrape();
    for (const id of ["m-1", "m-2", "m-3"]) expect((await post(endpointId, idibuBody(id))).status).toBe(200);
    expect((await post(endpointId, idibuBody("m-1"))).status).toBe(200); // the same body again: a duplicate
    expect((await post(endpointId, "{not json")).status).toBe(202); // stored, failed
    expect((await post("ep_gone", "{}")).status).toBe(404);
    expect((await fetch(`${url}/api/webhooks/${endpointId}`)).status).toBe(405);
    expect((await fetch(`${url}/candidates/cand_1`)).status).toBe(200);
    const admin = { authorization: `Bearer ${process.env.ADMIN_TOKEN}` };
    expect((await fetch(`${url}/api/analytics/jobs`, { headers: admin })).status).toBe(200);
    expect((await fetch(`${url}/api/people/per_nobody/timeline`, { headers: admin })).status).toBe(404);
    expect((await fetch(`${url}/api/no-such-route/123`, { headers: admin })).status).toBe(404);
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('webhook_deliveries_total{provider="idibu",outcome="processed"}')).toBe(3);
    expect(delta('webhook_deliveries_total{provider="idibu",outcome="duplicate"}')).toBe(1);
    expect(delta('webhook_deliveries_total{provider="idibu",outcome="failed"}')).toBe(1);
    expect(delta('webhook_refused_total{reason="endpoint_not_found"}')).toBe(1);
    expect(delta('webhook_refused_total{reason="method_not_allowed"}')).toBe(1);
    expect(delta('webhook_refused_total{reason="endpoint_deleted"}')).toBe(0);
    expect(delta("webhook_store_seconds_count")).toBe(5);
    expect(delta("webhook_processing_seconds_count")).toBe(4);
    expect(delta('http_request_duration_seconds_count{route="/api/webhooks/:endpointId",method="POST",status="2xx"}')).toBe(5);
    expect(delta('http_request_duration_seconds_count{route="/api/webhooks/:endpointId",method="POST",status="4xx"}')).toBe(1);
    expect(delta('http_request_duration_seconds_count{route="/candidates/:id",method="GET",status="2xx"}')).toBe(1);
    // API routes are labelled by the route file that answered: every route has its own label.
    expect(delta('http_request_duration_seconds_count{route="/api/analytics/jobs",method="GET",status="2xx"}')).toBe(1);
    expect(delta('http_request_duration_seconds_count{route="/api/people/:id/timeline",method="GET",status="4xx"}')).toBe(1);
    expect(delta('http_request_duration_seconds_count{route="other",method="GET",status="4xx"}')).toBeGreaterThanOrEqual(1);
    // A delivery answers within a second here: its store latency is in the 1 s bucket.
    expect(delta('webhook_store_seconds_bucket{le="1"}')).toBe(5);
  });

  it("tells refusals that share a status apart by the answer's error: a deleted endpoint is not a disabled one", async () => {
    const before = await scrape();
    const disabled = (await routes.createEndpoint({ provider: "idibu", name: "metrics disabled" })).json.id;
    await routes.patchEndpoint(disabled, { enabled: false });
    const deleted = (await routes.createEndpoint({ provider: "idibu", name: "metrics deleted" })).json.id;
    expect((await routes.deleteEndpoint(deleted)).status).toBe(200);
    const toDisabled = await post(disabled, idibuBody("m-x"));
    const toDeleted = await post(deleted, idibuBody("m-y"));
    expect([toDisabled.status, toDeleted.status]).toEqual([410, 410]);
    expect((await toDeleted.json()).error).toBe("endpoint_deleted");
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('webhook_refused_total{reason="endpoint_disabled"}')).toBe(1);
    expect(delta('webhook_refused_total{reason="endpoint_deleted"}')).toBe(1);
  });

  it("reports the queue, the pool and the recovery backlog as they are when scraped", async () => {
    const idle = await scrape();
    expect(sample(idle, 'ingest_queue_deliveries{stage="waiting"}')).toBe(0);
    expect(sample(idle, 'ingest_queue_deliveries{stage="unprocessed"}')).toBe(0);
    expect(sample(idle, "recovery_backlog_deliveries")).toBe(0);
    expect(idle).toMatch(/^db_pool_connections\{state="in_use"\} \d+$/m);
    expect(sample(idle, 'db_pool_connections{state="idle"}')).toBeGreaterThan(0);

    // Two deliveries left `received` by a crash, one of them still within the sweep's grace period.
    await t.db.sql.query({
      text: `INSERT INTO deliveries (id, endpoint_id, provider, received_at, method, headers, body, body_sha256, idempotency_key, idempotency_source, status)
             VALUES ('dl_old', $1, 'idibu', now() - interval '5 minutes', 'POST', '{}', '\\x7b7d', 'x', 'old', 'body', 'received'),
                    ('dl_new', $1, 'idibu', now(), 'POST', '{}', '\\x7b7d', 'y', 'new', 'body', 'received')`,
      params: [endpointId],
    });
    expect(sample(await scrape(), "recovery_backlog_deliveries")).toBe(1);
  });

  it("reports what the derived refresher has yet to do, and how far behind it is", async () => {
    const idle = await scrape();
    expect(sample(idle, 'derived_backlog_candidates{kind="analytics"}')).toBe(0);
    expect(sample(idle, 'derived_backlog_oldest_seconds{kind="people"}')).toBe(0);
    // A save whose refresh and linking never ran (a crash), five minutes ago.
    await t.db.sql.query({ text: "INSERT INTO analytics_refresh_queue (candidate_id, queued_at) VALUES ('cand_gone_a', now() - interval '5 minutes'), ('cand_gone_b', now())" });
    await t.db.sql.query({ text: "INSERT INTO people_link_queue (candidate_id, queued_at) VALUES ('cand_gone_a', now() - interval '5 minutes')" });
    const behind = await scrape();
    expect(sample(behind, 'derived_backlog_candidates{kind="analytics"}')).toBe(2);
    expect(sample(behind, 'derived_backlog_candidates{kind="people"}')).toBe(1);
    expect(sample(behind, 'derived_backlog_oldest_seconds{kind="analytics"}')).toBeGreaterThanOrEqual(299);
    expect(sample(behind, 'derived_backlog_oldest_seconds{kind="people"}')).toBeLessThan(400);
    await t.db.sql.query({ text: "DELETE FROM analytics_refresh_queue WHERE candidate_id LIKE 'cand_gone_%'" });
    await t.db.sql.query({ text: "DELETE FROM people_link_queue WHERE candidate_id LIKE 'cand_gone_%'" });
  });
});
