/**
 * The webhook route over real HTTP on loopback, in the test process: a node:http server handing
 * /api/webhooks/{endpointId} to the same Pages API route handler `next start` runs, with Next's
 * `req.query` filled in. The database is whatever the test set with setDb().
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import webhookRoute from "@/pages/api/webhooks/[endpointId]";

/** Serves the request if it is a webhook delivery; false when it is for another route. */
export function serveWebhook(req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? "/", "http://loopback");
  const match = /^\/api\/webhooks\/([^/]+)$/.exec(url.pathname);
  if (!match) return false;
  const endpointId = decodeURIComponent(match[1]);
  Object.assign(req, { query: { ...Object.fromEntries(url.searchParams), endpointId } });
  webhookRoute(req as never, res as never).catch((error: unknown) => {
    res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "test_server", message: String(error) }));
  });
  return true;
}

let started: Promise<{ server: Server; url: string }> | null = null;

/** Base URL of a loopback server that only knows the webhook route (started once, never blocks exit). */
export function webhookServerUrl(): Promise<string> {
  started ??= new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      if (!serveWebhook(req, res)) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "not_found" }));
      }
    });
    server.keepAliveTimeout = 1_000;
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.unref();
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
  return started.then((s) => s.url);
}
