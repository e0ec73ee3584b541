/**
 * The dashboard's API served from its route files without Next.js's router (lib/http/api-dispatch.ts,
 * what `npm start` serves): the same answers the handlers give, Next.js's route precedence, params,
 * HEAD/OPTIONS/405, request bodies, gzip, and what stays with the framework.
 */
import { Agent, createServer, get as httpGet, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listCandidatesRoute } from "@/app/api/candidates/route";
import { setDb } from "@/lib/db/client";
import { apiDispatcher } from "@/lib/http/api-dispatch";
import { apiRouteTable } from "@/lib/http/api-routes";
import { routeRequests } from "@/lib/http/route-requests";
import { adminHeaders, call, routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { apiDir, discoverApiRoutes } from "../helpers/route-files";
import { createTestDb, type TestDb } from "../helpers/test-db";

function listen(handler: (req: IncomingMessage, res: ServerResponse) => unknown): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

describe("the API route table", () => {
  const table = apiRouteTable(apiDir);
  const routeOf = (path: string) => {
    const found = table.match(path);
    return found && found !== "bad_escape" ? { route: found.route.routePath, params: found.params } : found;
  };

  it("has every route file, and a static segment wins over a [param], which wins over [...path]", async () => {
    expect(new Set(table.routes.map((r) => r.routePath))).toEqual(new Set((await discoverApiRoutes()).map((r) => r.routePath)));
    expect(routeOf("/api/deliveries/export.csv")).toEqual({ route: "/api/deliveries/export.csv", params: {} });
    expect(routeOf("/api/deliveries/reprocess")).toEqual({ route: "/api/deliveries/reprocess", params: {} });
    expect(routeOf("/api/deliveries/dlv_1")).toEqual({ route: "/api/deliveries/[id]", params: { id: "dlv_1" } });
    expect(routeOf("/api/candidates/c%201/timeline/events/ev_2/changes")).toEqual({
      route: "/api/candidates/[id]/timeline/events/[eventId]/changes",
      params: { id: "c 1", eventId: "ev_2" },
    });
    expect(routeOf("/api/candidates/c1/nothing")).toEqual({ route: "/api/[...path]", params: { path: ["candidates", "c1", "nothing"] } });
    expect(routeOf("/api/nope")).toEqual({ route: "/api/[...path]", params: { path: ["nope"] } });
    expect(routeOf("/api/candidates/%E0%A4%A")).toBe("bad_escape");
  });
});

describe("the API served without the framework (pglite)", () => {
  let t: TestDb;
  let app: { server: Server; url: string };
  const frameworkSaw: string[] = [];
  const handlerErrors: unknown[] = [];
  beforeAll(async () => {
    t = await createTestDb("pglite");
    setDb(t.db);
    const endpoint = (await routes.createEndpoint({ provider: "idibu", name: "dispatch" })).json;
    // Some candidates, so the list's answer is over 1 KiB (compressed) and has rows to compare.
    const fixture = JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString("utf8"));
    for (let i = 0; i < 8; i++) {
      fixture.payload.id = `dispatch-${i}`;
      expect((await sendWebhook(endpoint.id, JSON.stringify(fixture))).status).toBe(200);
    }
    app = await listen(
      routeRequests(
        (req, res) => {
          frameworkSaw.push(`${req.method} ${req.url}`);
          res.writeHead(200, { "content-type": "text/plain" });
          res.end("framework");
        },
        (error) => handlerErrors.push(error),
        apiDispatcher(apiDir),
      ),
    );
  }, 60_000);
  afterAll(async () => {
    app?.server.close();
    setDb(undefined);
    await t?.drop();
  });

  it("answers as the route handler does, without the framework", async () => {
    const direct = await call(listCandidatesRoute as never, "GET", "/api/candidates?limit=5");
    const served = await fetch(`${app.url}/api/candidates?limit=5`, { headers: adminHeaders });
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(served.headers.get("cache-control")).toBe("no-store");
    // The server's security headers are on API answers too.
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await served.json()).toEqual(direct.json);
    expect(direct.json.candidates).toHaveLength(5);
    expect(frameworkSaw).toEqual([]);
  });

  it("asks for the credential like the handler does", async () => {
    const answer = await fetch(`${app.url}/api/candidates`);
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toContain("Bearer");
    expect((await answer.json()).error).toBe("unauthorized");
  });

  it("gzips text answers of 1 KiB or more for clients that accept it, and only them", async () => {
    const raw = (accept: string | null) =>
      new Promise<{ encoding: string | undefined; vary: string | undefined; body: Buffer }>((resolve, reject) => {
        // node:http, not fetch: fetch decompresses whatever it is sent, which would hide the encoding.
        const { port } = new URL(app.url);
        const req = httpGet(
          { host: "127.0.0.1", port, path: "/api/candidates", headers: { ...adminHeaders, ...(accept ? { "accept-encoding": accept } : {}) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ encoding: res.headers["content-encoding"], vary: res.headers.vary, body: Buffer.concat(chunks) }));
          },
        );
        req.on("error", reject);
      });
    const plain = await raw(null);
    expect(plain.encoding).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    const zipped = await raw("gzip, deflate, br");
    expect(zipped.encoding).toBe("gzip");
    expect(zipped.vary).toContain("Accept-Encoding");
    expect(zipped.body.length).toBeLessThan(plain.body.length);
    expect(JSON.parse(gunzipSync(zipped.body).toString("utf8"))).toEqual(JSON.parse(plain.body.toString("utf8")));
  });

  it("passes path params (decoded) and request bodies to the handler", async () => {
    const created = await fetch(`${app.url}/api/endpoints`, {
      method: "POST",
      headers: { ...adminHeaders, "content-type": "application/json" },
      body: JSON.stringify({ provider: "talview", name: "served" }),
    });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    const read = await fetch(`${app.url}/api/endpoints/${encodeURIComponent(id)}`, { headers: adminHeaders });
    expect(read.status).toBe(200);
    expect((await read.json()).name).toBe("served");
    const missing = await fetch(`${app.url}/api/candidates/${encodeURIComponent("no such/one")}`, { headers: adminHeaders });
    expect(missing.status).toBe(404);
    expect((await missing.json()).message).toContain("no such/one");
  });

  it("hands the handler the headers the server's listener cleaned: an untrusted client's X-Forwarded-Host is gone", async () => {
    const created = await fetch(`${app.url}/api/endpoints`, {
      method: "POST",
      headers: { ...adminHeaders, "content-type": "application/json", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
      body: JSON.stringify({ provider: "idibu", name: "forwarded" }),
    });
    expect(created.status).toBe(201);
    // The URL the server hands out names the host the client reached, not the one it claimed.
    expect((await created.json()).url).toMatch(new RegExp(`^${app.url}/api/webhooks/`));
  });

  it("a static route wins over a [param] one: the CSV export, not delivery 'export.csv'", async () => {
    const answer = await fetch(`${app.url}/api/deliveries/export.csv`, { headers: adminHeaders });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toContain("text/csv");
    expect((await answer.text()).split("\r\n").length).toBeGreaterThan(8);
  });

  it("HEAD, OPTIONS, a method the route lacks, an unknown path and a malformed escape", async () => {
    const head = await fetch(`${app.url}/api/health`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const options = await fetch(`${app.url}/api/candidates`, { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    const put = await fetch(`${app.url}/api/candidates`, { method: "PUT", headers: adminHeaders });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect((await put.json()).error).toBe("method_not_allowed");
    const unknown = await fetch(`${app.url}/api/nope`, { headers: adminHeaders });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toBe("not_found");
    const bad = await fetch(`${app.url}/api/candidates/%E0%A4%A`, { headers: adminHeaders });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe("invalid_request");
    expect(frameworkSaw).toEqual([]);
    expect(handlerErrors).toEqual([]);
  });

  it("bounds request bodies at 1 MiB before anyone signs in, and keeps the connection usable after an unread body", async () => {
    const { port } = new URL(app.url);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body: Buffer | null, headers: Record<string, string> = {}, own = false) =>
      new Promise<{ status: number; json: any; socket: unknown }>((resolve, reject) => {
        const options = { host: "127.0.0.1", port, path, method, agent: own ? false : agent, headers: { "content-type": "application/json", ...headers } };
        const req = httpRequest(options, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8") || "null"), socket: res.socket }));
        });
        req.on("error", reject);
        if (body) req.end(body);
        else req.end();
      });
    try {
      // Declared too large: answered before the body is sent (this client sends 10 bytes of the 2 MiB it
      // declared, on a connection of its own). The login route is public.
      const declared = await send("POST", "/api/auth/login", Buffer.alloc(10), { "content-length": String(2 * 1024 * 1024) }, true);
      expect(declared.status).toBe(413);
      expect(declared.json.error).toBe("payload_too_large");
      // Sent without a length (chunked) and over the limit: cut off at 1 MiB, answered 413.
      const chunked = await send("POST", "/api/auth/login", Buffer.alloc(3 * 1024 * 1024, 0x20), { "transfer-encoding": "chunked" });
      expect(chunked.status).toBe(413);
      expect(chunked.json.error).toBe("payload_too_large");
      // A handler that answers without reading the body (no credential: 401), then the same connection again.
      const unread = await send("POST", "/api/deliveries/dlv_x/reprocess", Buffer.alloc(200_000, 0x20));
      expect(unread.status).toBe(401);
      const next = await send("GET", "/api/health", null);
      expect(next.status).toBe(200);
      expect(next.socket).toBe(unread.socket);
    } finally {
      agent.destroy();
    }
  });

  it("pages, static files and API paths with a trailing slash stay with the framework", async () => {
    frameworkSaw.length = 0;
    for (const path of ["/", "/candidates", "/_next/static/x.js", "/api/candidates/", "/apix"]) {
      expect(await (await fetch(`${app.url}${path}`)).text(), path).toBe("framework");
    }
    expect(frameworkSaw).toEqual(["GET /", "GET /candidates", "GET /_next/static/x.js", "GET /api/candidates/", "GET /apix"]);
  });
});
