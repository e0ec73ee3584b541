/**
 * The webhook route over real HTTP on loopback, in the test process: a node:http server with the
 * request listener `npm start` serves (lib/http/route-requests.ts), where every non-webhook URL —
 * Next.js's part in production — answers 404. The database is whatever the test set with setDb().
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { routeRequests } from "@/lib/http/route-requests";

function notFound(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(404, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: "not_found", message: "the test server only serves webhooks" }));
}

const listener = routeRequests(notFound, (error) => {
  throw error;
});

let started: Promise<{ server: Server; url: string }> | null = null;

/** Base URL of a loopback server that only knows the webhook route (started once, never blocks exit). */
export function webhookServerUrl(): Promise<string> {
  started ??= new Promise((resolve, reject) => {
    const server = createServer(listener);
    server.keepAliveTimeout = 1_000;
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.unref();
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
  return started.then((s) => s.url);
}

/** An App Router handler as the tests call it. */
export type AppRouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : null;
  return new Request(`${origin}${req.url}`, { method: req.method, headers, body: body && req.method !== "GET" ? new Uint8Array(body) : null });
}

/**
 * A loopback server composed as `npm start` composes it: webhooks to the webhook handler, every
 * other request — Next.js's part in production — to the App Router handler `routes` names by
 * `"METHOD /path"` (404 JSON when none). The database is whatever the test set with setDb().
 */
export async function serveAppRoutes(routes: Record<string, AppRouteHandler>): Promise<{ server: Server; url: string }> {
  let url = "";
  const server = createServer(
    routeRequests(
      (req, res) =>
        void (async () => {
          const request = await toRequest(req, url);
          const handler = routes[`${request.method} ${new URL(request.url).pathname}`];
          const response = handler
            ? await handler(request, { params: Promise.resolve({}) })
            : new Response(JSON.stringify({ error: "not_found" }), { status: 404 });
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        })().catch((error: unknown) => {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(error));
        }),
      (error) => {
        throw error;
      },
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url };
}
