import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createEndpointRoute } from "@/app/api/endpoints/route";
import { setDb } from "@/lib/db/client";
import { serveWebhook } from "@/tests/helpers/webhook-server";
import { providerIds, type ProviderId } from "@/lib/providers/types";
import { createTestDb, type TestDb } from "@/tests/helpers/test-db";
import { buildHistories } from "./build-histories";
import { sendHistories } from "./send-deliveries";

/**
 * The simulator against the real webhook route and ingest (PGlite), over real HTTP with global
 * fetch: a small node:http server stands in for Next and hands each request to the route handlers.
 */
describe("simulator → real webhook route over HTTP", () => {
  let t: TestDb;
  let server: Server;
  let baseUrl = "";
  const endpoints = {} as Record<ProviderId, { id: string; secret: string | null }>;

  async function toRequest(req: IncomingMessage): Promise<Request> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const body = chunks.length > 0 ? Buffer.concat(chunks) : null;
    return new Request(`${baseUrl}${req.url}`, { method: req.method, headers, body: body && req.method !== "GET" ? new Uint8Array(body) : null });
  }

  beforeAll(async () => {
    t = await createTestDb("pglite");
    setDb(t.db);
    server = createServer((req, res) => {
      // Webhooks as `npm start` serves them (lib/http/route-requests.ts), the rest to the app routes.
      if (serveWebhook(req, res)) return;
      void (async () => {
        const request = await toRequest(req);
        const path = new URL(request.url).pathname;
        let response: Response;
        if (path === "/api/endpoints" && request.method === "POST") {
          response = await (createEndpointRoute as (r: Request) => Promise<Response>)(request);
        } else {
          response = new Response(JSON.stringify({ error: "not_found" }), { status: 404 });
        }
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })().catch((error) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
    const rows = await t.db.prisma.event.findMany({ where: { endpointId: endpoints[provider].id }, select: { type: true } });
    const count = (types: string[]) => types.reduce<Record<string, number>>((acc, type) => ({ ...acc, [type]: (acc[type] ?? 0) + 1 }), {});
    expect(count(rows.map((r) => r.type))).toEqual(count(histories.flatMap((h) => h.deliveries.map((d) => d.expected.type))));
  });

  it("a wrong secret is refused with 401 and reported", async () => {
    const histories = buildHistories({ provider: "greenhouse", candidates: 1, seed: 5 });
    const summary = await sendHistories({ baseUrl, endpointId: endpoints.greenhouse.id, provider: "greenhouse", secret: "wrong-secret", histories });
    expect(Object.keys(summary.byHttpStatus)).toEqual(["401"]);
    expect(summary.failures[0].response).toMatchObject({ error: "signature_invalid" });
  });
});
