import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as flowRoute } from "@/app/api/analytics/flow/route";
import { GET as funnelRoute } from "@/app/api/analytics/funnel/route";
import { POST as demoRoute } from "@/app/api/demo/route";
import { POST as createEndpointRoute } from "@/app/api/endpoints/route";
import { GET as statsRoute } from "@/app/api/stats/route";
import { demoResultSchema } from "@/lib/contracts/demo";
import { overviewStatsSchema } from "@/lib/contracts/stats";
import { setDb } from "@/lib/db/client";
import { serveAppRoutes, type AppRouteHandler } from "@/tests/helpers/webhook-server";
import { httpEndpointCreator } from "@/lib/demo/http-endpoints";
import { runDemo } from "@/lib/demo/run-demo";
import { getProviderEntry, providerCatalog } from "@/lib/providers/catalog";
import { providerIds } from "@/lib/providers/types";
import { createTestDb, type TestDb } from "../helpers/test-db";

/**
 * The demo loader against the real routes over real HTTP: a loopback server composed as `npm start`
 * composes it, with the endpoints, demo and stats routes standing in for Next.
 */
describe("demo data through the real webhook route (PGlite)", () => {
  let t: TestDb;
  let server: Server;
  let baseUrl = "";
  const token = process.env.ADMIN_TOKEN!;
  const stats = async () => {
    const res = await fetch(`${baseUrl}/api/stats`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return overviewStatsSchema.parse(await res.json());
  };

  beforeAll(async () => {
    t = await createTestDb("pglite");
    setDb(t.db);
    ({ server, url: baseUrl } = await serveAppRoutes({
      "POST /api/endpoints": createEndpointRoute as AppRouteHandler,
      "POST /api/demo": demoRoute as AppRouteHandler,
      "GET /api/stats": statsRoute as AppRouteHandler,
      "GET /api/analytics/funnel": funnelRoute as AppRouteHandler,
      "GET /api/analytics/flow": flowRoute as AppRouteHandler,
    }));
  }, 120_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    setDb(undefined);
    await t?.drop();
  });

  it("POST /api/demo needs the admin token", async () => {
    const res = await fetch(`${baseUrl}/api/demo`, { method: "POST" });
    expect(res.status).toBe(401);
    expect((await stats()).firstRun).toBe(true);
  });

  it("POST /api/demo makes a demo endpoint per provider and posts 12 histories each (starting over four weeks) to its own origin", async () => {
    const res = await fetch(`${baseUrl}/api/demo`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    const result = demoResultSchema.parse(await res.json());
    expect(res.status, result.message).toBe(201);
    expect(result.ok).toBe(true);
    expect(result.baseUrl).toBe(baseUrl);
    // One per provider in the catalog, in its order, named by the provider's display name.
    expect(result.endpoints.map((e) => [e.provider, e.name])).toEqual(providerCatalog.map((p) => [p.id, `${p.displayName} (demo)`]));
    for (const run of result.runs) {
      expect(run.candidates).toBe(12);
      expect(run.failures).toEqual([]);
      expect(run.byHttpStatus).toEqual({ 200: run.sent });
      expect(run.byStatus).toEqual({ processed: run.sent });
    }

    const s = await stats();
    expect(s.firstRun).toBe(false);
    expect(s.totals.endpoints).toBe(providerIds.length);
    expect(s.totals.deliveries).toBe(result.sent);
    // Greenhouse merges fold a demo candidate into another, so "about 12 per provider".
    expect(s.totals.candidates).toBeGreaterThanOrEqual(12 * providerIds.length - 6);
    expect(s.totals.candidates).toBeLessThanOrEqual(12 * providerIds.length);
    expect(s.last24h.byStatus.processed).toBe(result.sent);
    expect(s.activity.byProvider.map((p) => p.provider).sort()).toEqual([...providerIds].sort());
    expect(s.activity.days.at(-1)!.total).toBe(s.totals.events);
    expect(s.recentEvents).toHaveLength(10);
    expect(s.attention).toEqual([]);

    // People in two providers (same email) are one person each.
    const people = await t.db.prisma.person.findMany({ select: { members: { select: { candidate: { select: { provider: true } } } } } });
    const acrossProviders = people.filter((p) => new Set(p.members.map((m) => m.candidate.provider)).size >= 2);
    // One per provider after the first, but Lever: its webhooks carry no email.
    expect(acrossProviders.length).toBe(providerIds.length - 2);

    // Enough history for the analytics page to look like a team's: a pipeline of stages, weeks of flow.
    const analytics = async (path: string) => (await fetch(`${baseUrl}/api/analytics/${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
    const funnel = await analytics("funnel");
    expect(funnel.stages.length).toBeGreaterThanOrEqual(4);
    expect(funnel.totals.hired + funnel.totals.rejected).toBeGreaterThan(0);
    expect((await analytics("flow")).weeks.length).toBeGreaterThanOrEqual(4);

    const stored = await t.db.prisma.endpoint.findMany({ select: { provider: true, secret: true } });
    for (const e of stored) expect(e.secret === null).toBe(!getProviderEntry(e.provider)!.signs);
  }, 120_000);

  it("runDemo with endpoints made over the admin API (what npm run demo does) adds new candidates", async () => {
    const before = await stats();
    const result = await runDemo({
      baseUrl,
      createEndpoint: httpEndpointCreator(baseUrl, token),
      candidatesPerProvider: 1,
      seed: "demo-test-http",
      providers: ["outhire", "talview"],
    });
    expect(result.ok, result.message).toBe(true);
    expect(result.endpoints.map((e) => e.name)).toEqual(["Outhire (demo)", "Talview (demo)"]);
    const after = await stats();
    expect(after.totals.endpoints).toBe(before.totals.endpoints + 2);
    expect(after.totals.candidates).toBe(before.totals.candidates + 2);
    expect(after.totals.deliveries).toBe(before.totals.deliveries + result.sent);
  }, 120_000);

  it("reports a wrong admin token clearly", async () => {
    await expect(
      runDemo({ baseUrl, createEndpoint: httpEndpointCreator(baseUrl, "wrong-token-0000000000"), candidatesPerProvider: 1 }),
    ).rejects.toThrow(/HTTP 401/);
  });
});
