import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as demoRoute } from "@/app/api/demo/route";
import { POST as createEndpointRoute } from "@/app/api/endpoints/route";
import { GET as statsRoute } from "@/app/api/stats/route";
import { demoResultSchema } from "@/lib/api/demo";
import { overviewStatsSchema } from "@/lib/api/stats";
import { setDb } from "@/lib/db/client";
import { serveWebhook } from "@/tests/helpers/webhook-server";
import { httpEndpointCreator } from "@/lib/demo/http-endpoints";
import { runDemo } from "@/lib/demo/run-demo";
import { providerIds } from "@/lib/providers/types";
import { createTestDb, type TestDb } from "../helpers/test-db";

/**
 * The demo loader against the real routes over real HTTP: a small node:http server stands in for
 * Next and hands each request to the route handlers (the webhook route, endpoints, demo, stats).
 */
describe("demo data through the real webhook route (PGlite)", () => {
  let t: TestDb;
  let server: Server;
  let baseUrl = "";
  const token = process.env.ADMIN_TOKEN!;
  type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

  async function toRequest(req: IncomingMessage): Promise<Request> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const body = chunks.length > 0 ? Buffer.concat(chunks) : null;
    return new Request(`${baseUrl}${req.url}`, { method: req.method, headers, body: body && req.method !== "GET" ? new Uint8Array(body) : null });
  }

  function route(method: string, path: string): { handler: Handler; params: Record<string, string> } | null {
    const fixed: Record<string, unknown> = {
      "POST /api/endpoints": createEndpointRoute,
      "POST /api/demo": demoRoute,
      "GET /api/stats": statsRoute,
    };
    const handler = fixed[`${method} ${path}`];
    return handler ? { handler: handler as Handler, params: {} } : null;
  }

  const stats = async () => {
    const res = await fetch(`${baseUrl}/api/stats`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return overviewStatsSchema.parse(await res.json());
  };

  beforeAll(async () => {
    t = await createTestDb("pglite");
    setDb(t.db);
    server = createServer((req, res) => {
      // Webhooks as `npm start` serves them (lib/http/route-requests.ts), the rest to the app routes.
      if (serveWebhook(req, res)) return;
      void (async () => {
        const request = await toRequest(req);
        const found = route(request.method, new URL(request.url).pathname);
        const response = found
          ? await found.handler(request, { params: Promise.resolve(found.params) })
          : new Response(JSON.stringify({ error: "not_found" }), { status: 404 });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })().catch((error) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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

  it("POST /api/demo makes a demo endpoint per provider and posts 5 histories each to its own origin", async () => {
    const res = await fetch(`${baseUrl}/api/demo`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    const result = demoResultSchema.parse(await res.json());
    expect(res.status, result.message).toBe(201);
    expect(result.ok).toBe(true);
    expect(result.baseUrl).toBe(baseUrl);
    expect(result.endpoints.map((e) => [e.provider, e.name])).toEqual([
      ["greenhouse", "Greenhouse (demo)"],
      ["talview", "Talview (demo)"],
      ["idibu", "idibu (demo)"],
      ["outhire", "Outhire (demo)"],
    ]);
    for (const run of result.runs) {
      expect(run.candidates).toBe(5);
      expect(run.failures).toEqual([]);
      expect(run.byHttpStatus).toEqual({ 200: run.sent });
      expect(run.byStatus).toEqual({ processed: run.sent });
    }

    const s = await stats();
    expect(s.firstRun).toBe(false);
    expect(s.totals.endpoints).toBe(4);
    expect(s.totals.deliveries).toBe(result.sent);
    // Greenhouse merges fold one demo candidate into another, so "about 20".
    expect(s.totals.candidates).toBeGreaterThanOrEqual(18);
    expect(s.totals.candidates).toBeLessThanOrEqual(20);
    expect(s.last24h.byStatus.processed).toBe(result.sent);
    expect(s.activity.byProvider.map((p) => p.provider).sort()).toEqual([...providerIds].sort());
    expect(s.activity.days.at(-1)!.total).toBe(s.totals.events);
    expect(s.recentEvents).toHaveLength(10);
    expect(s.attention).toEqual([]);

    const stored = await t.db.prisma.endpoint.findMany({ select: { provider: true, secret: true } });
    for (const e of stored) expect(e.secret === null).toBe(e.provider === "talview" || e.provider === "idibu");
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
