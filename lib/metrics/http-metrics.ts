/**
 * Request latency by route, and the webhook refusals, observed at the node:http server for every
 * request (webhooks, the dashboard's API and pages alike): a start time and one `finish` listener
 * per request.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { getMetrics } from "./metrics";

const API_ROOTS = new Set(["auth", "candidates", "deliveries", "demo", "endpoints", "events", "health", "reprocess", "stats"]);
const PAGE_ROOTS = new Set(["", "candidates", "deliveries", "settings", "login", "logout", "metrics"]);
/** Fixed path segments below an id (`/api/candidates/{id}/timeline`); anything else is an id. */
const FIXED = /^(timeline|reprocess|rotate-secret|rotate-url|test-delivery|login|export\.csv)$/;

/**
 * The route pattern of a URL, for a label with a bounded set of values: ids become `:id`, unknown
 * paths `other` (anyone can request any path; the label must not grow with what they send).
 */
export function routeOf(url: string): string {
  const q = url.indexOf("?");
  const parts = (q === -1 ? url : url.slice(0, q)).split("/").slice(1);
  if (parts[0] === "_next") return "/_next/*";
  if (parts[0] === "api") {
    if (parts[1] === "webhooks" && parts.length === 3) return "/api/webhooks/:endpointId";
    if (!API_ROOTS.has(parts[1] ?? "") || parts.length > 5) return "other";
    return "/" + parts.map((p, i) => (i >= 2 && !FIXED.test(p) ? ":id" : p)).join("/");
  }
  if (!PAGE_ROOTS.has(parts[0] ?? "") || parts.length > 2) return "other";
  return "/" + parts.map((p, i) => (i >= 1 ? ":id" : p)).join("/");
}

/** What a webhook refusal means, by its status (the ingest's answers have one reason per status). */
const REFUSAL_REASONS: Record<number, string> = {
  401: "signature_invalid",
  404: "endpoint_not_found",
  405: "method_not_allowed",
  410: "endpoint_disabled",
  413: "payload_too_large",
  415: "unsupported_content_type",
  429: "rate_limited",
  500: "server_error",
  503: "storage_unavailable",
};

/**
 * Causes that share a status with another and are told apart by the answer's `error`: a deleted
 * endpoint (410 like a disabled one), a URL replaced by a rotation (404), a full body budget (503,
 * not the database). The label stays a bounded set: only these names, else the status's reason.
 */
const DISTINCT_REASONS = new Set(["endpoint_deleted", "endpoint_url_replaced", "server_busy"]);
const answeredReasons = new WeakMap<ServerResponse, string>();
const matchedRoutes = new WeakMap<ServerResponse, string>();

/**
 * The API dispatch says which route file answered (`/api/people/[id]/timeline` → label
 * `/api/people/:id/timeline`; the catch-all 404 → `other`), so every API route has its own label
 * without a list kept here; pages keep routeOf's reading of the URL.
 */
export function noteRoute(res: ServerResponse, routePath: string): void {
  matchedRoutes.set(res, routePath.includes("[...") ? "other" : routePath.replace(/\[([^\]]+)\]/g, ":$1"));
}

/** The webhook handler says which refusal it answered (its body's `error`), for the label. */
export function noteRefusal(res: ServerResponse, error: unknown): void {
  if (typeof error === "string") answeredReasons.set(res, error);
}

export function refusalReason(status: number, error?: string): string {
  if (error && DISTINCT_REASONS.has(error)) return error;
  return REFUSAL_REASONS[status] ?? `status_${status}`;
}

/** Wraps the server's request listener: each request's latency, and for webhooks, refusals. */
export function observeRequests<H extends (req: IncomingMessage, res: ServerResponse) => unknown>(handler: H): H {
  const metrics = getMetrics();
  return ((req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    res.once("finish", () => {
      const route = matchedRoutes.get(res) ?? routeOf(req.url ?? "/");
      const status = res.statusCode;
      metrics.httpSeconds.observe({ route, method: req.method ?? "GET", status: `${Math.floor(status / 100)}xx` }, (performance.now() - started) / 1000);
      if (status >= 400 && route === "/api/webhooks/:endpointId") metrics.refused.inc({ reason: refusalReason(status, answeredReasons.get(res)) });
    });
    return handler(req, res);
  }) as H;
}
