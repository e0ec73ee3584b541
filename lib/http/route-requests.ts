import type { IncomingMessage, ServerResponse } from "node:http";
import { getEnv } from "../env";
import { dropUntrustedForwarding, isHttpsRequest, parseTrustedProxies, stampClientAddress } from "./client-address";
import { BASE_SECURITY_HEADERS, HSTS_HEADER } from "./security-headers";
import { observeRequests } from "../metrics/http-metrics";
import { handleMetrics, isMetricsRequest } from "./metrics-handler";
import { handleWebhook } from "./webhook-handler";
import type { apiDispatcher } from "./api-dispatch";

type ApiDispatcher = Pick<ReturnType<typeof apiDispatcher>, "claims" | "handle">;

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

const WEBHOOK_PATH = /^\/api\/webhooks\/([^/?#]+)(?:\?|$)/;

/** The endpoint id of a webhook URL (`/api/webhooks/{id}`, any query), or null for any other URL. */
export function webhookEndpointId(url: string): string | null {
  const match = WEBHOOK_PATH.exec(url);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null; // malformed escapes: left to the framework's 400/404
  }
}

/**
 * The server's request listener: webhook deliveries go straight to the framework-free handler,
 * `GET /metrics` to lib/http/metrics-handler.ts, the dashboard's API (when `api` is given) to its
 * route files without the framework's router (lib/http/api-dispatch.ts, which says why), everything
 * else to the framework (pages, static files). Every request's latency is observed (lib/metrics).
 *
 * Why webhooks skip the framework: the router, its request metadata and its response wrapper cost
 * more CPU per request than verifying, storing and processing a delivery does (see README,
 * Performance), and a delivery needs none of them — no page, no session, no middleware. Why a
 * second entry point exists (for `next dev`/`next start`): pages/api/webhooks/[endpointId].ts.
 *
 * Before either, every response gets the security headers (pages replace the CSP with their own,
 * see proxy.ts) and the request gets the client's address, which the login throttle keys on; a
 * client that is not a trusted proxy loses the X-Forwarded-* headers it sent.
 */
export function routeRequests(framework: NodeHandler, onHandlerError: (error: unknown, where: "webhook" | "api") => void, api?: ApiDispatcher): NodeHandler {
  const trusted = parseTrustedProxies(getEnv().TRUSTED_PROXIES);
  return observeRequests((req, res) => {
    for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) res.setHeader(name, value);
    if (isHttpsRequest(req, trusted)) res.setHeader(...HSTS_HEADER);
    const endpointId = req.url ? webhookEndpointId(req.url) : null;
    if (endpointId === null) {
      stampClientAddress(req, trusted);
      dropUntrustedForwarding(req, trusted);
      if (isMetricsRequest(req.url)) return handleMetrics(req, res);
      if (api?.claims(req.url)) {
        return api.handle(req, res).catch((error: unknown) => {
          onHandlerError(error, "api");
          if (!res.headersSent) {
            res.writeHead(500, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
            res.end(JSON.stringify({ error: "internal_error", message: "the server failed on this request; see the server log" }));
          } else {
            res.destroy();
          }
        });
      }
      return framework(req, res);
    }
    return handleWebhook(req, res, endpointId).catch((error: unknown) => {
      onHandlerError(error, "webhook");
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
        res.end(JSON.stringify({ error: "internal_error", message: "the server failed on this delivery; see the server log" }));
      } else {
        res.destroy();
      }
    });
  });
}
