/**
 * The server's request listener (lib/http/route-requests.ts, what `npm start` serves): webhook URLs
 * go to the webhook handler, every other URL to the framework; and the Pages API route that
 * `next dev` / `next start` use hands deliveries to the same handler.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { routeRequests, webhookEndpointId } from "@/lib/http/route-requests";
import pagesWebhookRoute from "@/pages/api/webhooks/[endpointId]";
import { answerOf, routes } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type TestDb } from "../helpers/test-db";

function listen(handler: (req: IncomingMessage, res: ServerResponse) => unknown): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

function idibuBody(externalId: string): string {
  const fixture = JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString("utf8"));
  fixture.payload.id = externalId;
  return JSON.stringify(fixture);
}

describe("webhookEndpointId", () => {
  it("takes the id of /api/webhooks/{id}, with or without a query, and nothing else", () => {
    expect(webhookEndpointId("/api/webhooks/ep_1")).toBe("ep_1");
    expect(webhookEndpointId("/api/webhooks/ep_1?candidate=2&x")).toBe("ep_1");
    expect(webhookEndpointId("/api/webhooks/ep%20one")).toBe("ep one");
    for (const other of ["/api/webhooks", "/api/webhooks/", "/api/webhooks/ep_1/", "/api/webhooks/ep_1/x", "/api/webhooksx/ep_1", "/x/api/webhooks/ep_1", "/api/webhooks/%E0%A4%A"]) {
      expect(webhookEndpointId(other), other).toBeNull();
    }
  });
});

describe("the server's routing (pglite)", () => {
  let t: TestDb;
  let endpointId: string;
  let app: { server: Server; url: string };
  let pages: { server: Server; url: string };
  const frameworkSaw: string[] = [];
  beforeAll(async () => {
    t = await createTestDb("pglite");
    setDb(t.db);
    endpointId = (await routes.createEndpoint({ provider: "idibu", name: "routing" })).json.id;
    app = await listen(
      routeRequests(
        (req, res) => {
          frameworkSaw.push(`${req.method} ${req.url}`);
          res.writeHead(200, { "content-type": "text/plain" });
          res.end("framework");
        },
        () => {},
      ),
    );
    pages = await listen((req, res) => {
      // What Next does before calling a Pages API route: the dynamic segment into req.query.
      const url = new URL(req.url ?? "/", "http://x");
      Object.assign(req, { query: { endpointId: decodeURIComponent(url.pathname.split("/").pop()!) } });
      return pagesWebhookRoute(req as never, res as never);
    });
  }, 60_000);
  afterAll(async () => {
    app?.server.close();
    pages?.server.close();
    setDb(undefined);
    await t?.drop();
  });

  it("a delivery to a webhook URL is verified, stored and processed without the framework", async () => {
    const answer = await answerOf(
      await fetch(`${app.url}/api/webhooks/${endpointId}`, { method: "POST", headers: { "content-type": "application/json" }, body: idibuBody("routed-1") }),
    );
    expect(answer.status).toBe(200);
    expect(answer.json.status).toBe("processed");
    expect(await t.db.prisma.delivery.count({ where: { id: answer.json.deliveryId, status: "processed" } })).toBe(1);
    expect(frameworkSaw).toEqual([]);
  });

  it("webhook URLs get the webhook handler's own answers: unknown endpoint, wrong method", async () => {
    const unknown = await answerOf(await fetch(`${app.url}/api/webhooks/ep%20gone?x=1`, { method: "POST", body: "{}" }));
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: "endpoint_not_found" });
    expect(unknown.json.message).toContain("/api/webhooks/ep gone;"); // the decoded id (up to 8 characters: shown whole)
    const get = await fetch(`${app.url}/api/webhooks/${endpointId}`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST, PUT, PATCH");
    expect(frameworkSaw).toEqual([]);
  });

  it("every other URL goes to the framework, untouched", async () => {
    for (const path of ["/", "/candidates?q=a", "/api/endpoints", `/api/webhooks/${endpointId}/extra`, "/api/webhooks/"]) {
      const response = await fetch(`${app.url}${path}`);
      expect(await response.text(), path).toBe("framework");
    }
    expect(frameworkSaw).toEqual(["GET /", "GET /candidates?q=a", "GET /api/endpoints", `GET /api/webhooks/${endpointId}/extra`, "GET /api/webhooks/"]);
  });

  it("the Pages API route (next dev, next start) takes deliveries the same way", async () => {
    const answer = await answerOf(
      await fetch(`${pages.url}/api/webhooks/${endpointId}`, { method: "POST", headers: { "content-type": "application/json" }, body: idibuBody("paged-1") }),
    );
    expect(answer.status).toBe(200);
    expect(answer.json.status).toBe("processed");
    const candidate = await t.db.prisma.candidate.findFirst({ where: { externalId: "paged-1" }, select: { eventCount: true } });
    expect(candidate?.eventCount).toBe(1);
  });
});
