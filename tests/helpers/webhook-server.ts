/**
 * The webhook route over real HTTP on loopback, in the test process: a node:http server with the
 * request listener `npm start` serves (lib/http/route-requests.ts), where every non-webhook URL —
 * Next.js's part in production — answers 404. The database is whatever the test set with setDb().
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { routeRequests, webhookEndpointId } from "@/lib/http/route-requests";

function notFound(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(404, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: "not_found", message: "the test server only serves webhooks" }));
}

const listener = routeRequests(notFound, (error) => {
  throw error;
});

/** Serves the request if it is a webhook delivery; false when it is for another route. */
export function serveWebhook(req: IncomingMessage, res: ServerResponse): boolean {
  if (!req.url || webhookEndpointId(req.url) === null) return false;
  listener(req, res);
  return true;
}

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
