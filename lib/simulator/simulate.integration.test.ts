import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createEndpointRoute } from "@/app/api/endpoints/route";
import { setDb } from "@/lib/db/client";
import { serveAppRoutes, type AppRouteHandler } from "@/tests/helpers/webhook-server";
import { providerIds, type ProviderId } from "@/lib/providers/types";
import { createTestDb, type TestDb } from "@/tests/helpers/test-db";
import { buildHistories } from "./build-histories";
import { sendHistories } from "./send-deliveries";

/**
 * The simulator against the real webhook route and ingest (PGlite), over real HTTP with global
 * fetch: a loopback server composed as `npm start` composes it, with the endpoints route standing in for Next.
 */
describe("simulator → real webhook route over HTTP", () => {
  let t: TestDb;
  let server: Server;
  let baseUrl = "";
  const endpoints = {} as Record<ProviderId, { id: string; secret: string | null }>;

  beforeAll(async () => {
    t = await createTestDb("pglite");
    setDb(t.db);
    ({ server, url: baseUrl } = await serveAppRoutes({ "POST /api/endpoints": createEndpointRoute as AppRouteHandler }));
    for (const provider of providerIds) {
      const res = await fetch(`${baseUrl}/api/endpoints`, {
        method: "POST",
        headers: { authorization: `Bearer ${process.env.ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ provider, name: `simulator ${provider}` }),
      });
      expect(res.status).toBe(201);
      const json = (await res.json()) as { id: string; secret: string | null };
      endpoints[provider] = { id: json.id, secret: json.secret };
    }
  }, 120_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    setDb(undefined);
    await t?.drop();
  });

  it.each(providerIds)("%s: every delivery is accepted and processed, redeliveries are duplicates", async (provider) => {
    const histories = buildHistories({ provider, candidates: 4, seed: 2024 });
    const total = histories.reduce((n, h) => n + h.deliveries.length, 0);
    const summary = await sendHistories({
      baseUrl,
      endpointId: endpoints[provider].id,
      provider,
      secret: endpoints[provider].secret,
      histories,
      concurrency: 3,
      redeliverEvery: 5,
    });
    expect(summary.failures).toEqual([]);
    expect(summary.processingFailures).toEqual([]);
    expect(summary.duplicateMisses).toEqual([]);
    expect(summary.byStatus).toEqual({ processed: total, ...(summary.redelivered > 0 ? { duplicate: summary.redelivered } : {}) });
    // One event per delivery, none for the duplicates, with the expected types.
    const rows = await t.db.prisma.event.findMany({ where: { endpointId: endpoints[provider].id }, select: { type: true, stageDerived: true } });
    const count = (types: string[]) => types.reduce<Record<string, number>>((acc, type) => ({ ...acc, [type]: (acc[type] ?? 0) + 1 }), {});
    // An update whose stage moved is stored as a derived stage_changed; the provider mapped it as an update.
    expect(count(rows.map((r) => (r.stageDerived ? "updated" : r.type)))).toEqual(count(histories.flatMap((h) => h.deliveries.map((d) => d.expected.type))));
    expect(rows.some((r) => r.stageDerived)).toBe(provider === "idibu");
  });

  it("a wrong secret is refused with 401 and reported", async () => {
    const histories = buildHistories({ provider: "greenhouse", candidates: 1, seed: 5 });
    const summary = await sendHistories({ baseUrl, endpointId: endpoints.greenhouse.id, provider: "greenhouse", secret: "wrong-secret", histories });
    expect(Object.keys(summary.byHttpStatus)).toEqual(["401"]);
    expect(summary.failures[0].response).toMatchObject({ error: "signature_invalid" });
  });
});
