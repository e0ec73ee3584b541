import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate } from "../auth/request-auth";
import { can } from "../auth/roles";
import { getDb } from "../db/client";
import { countRecoveryBacklog } from "../db/deliveries";
import { derivedBacklog } from "../db/analytics-refresh";
import { getEnv } from "../env";
import { errorMessage, logEvent } from "../log";
import { ingestQueueFor } from "../ingest/ingest-queue";
import { getMetrics } from "../metrics/metrics";

export function isMetricsRequest(url: string | undefined): boolean {
  return url === "/metrics" || (url?.startsWith("/metrics?") ?? false);
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * METRICS_TOKEN (what a Prometheus server is given), or the admin credential (token or session).
 * Any other Bearer value counts against the client's address as on every admin route.
 */
async function authorize(req: IncomingMessage): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number | null }> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const metricsToken = getEnv().METRICS_TOKEN;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "")?.[1];
  // Compared as digests: equal lengths for timingSafeEqual, and no early exit on a prefix.
  if (metricsToken && bearer && timingSafeEqual(digest(bearer), digest(metricsToken))) return { ok: true };
  const auth = await authenticate(getDb().sql, headers);
  if (!auth.ok) return auth;
  return can(auth.principal, "read") ? { ok: true } : { ok: false, retryAfterSeconds: null };
}

/** The state gauges read the database this process serves, when Prometheus scrapes. */
function connectSources(): void {
  const { sources } = getMetrics();
  if (sources.queueDepth) return;
  sources.queueDepth = () => {
    const db = getDb();
    return ingestQueueFor(db.sql, db.kind).depth();
  };
  sources.pool = () => getDb().poolStats?.() ?? null;
  sources.recoveryBacklog = () => countRecoveryBacklog(getDb().sql);
  sources.derivedBacklog = () => derivedBacklog(getDb().sql);
}

/** `GET /metrics`: Prometheus text format, this instance's metrics. Never rejects. */
export async function handleMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
    res.end(JSON.stringify(body));
  };
  try {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return json(405, { error: "method_not_allowed", message: "GET /metrics" }, { Allow: "GET, HEAD" });
    }
    const auth = await authorize(req);
    if (!auth.ok && auth.retryAfterSeconds !== null) {
      return json(
        429,
        { error: "too_many_attempts", message: `too many wrong credentials from this address; retry in ${auth.retryAfterSeconds} s` },
        { "Retry-After": String(auth.retryAfterSeconds) },
      );
    }
    if (!auth.ok) {
      return json(
        401,
        { error: "unauthorized", message: "send `Authorization: Bearer <METRICS_TOKEN>` (or the admin token)" },
        { "www-authenticate": 'Bearer realm="candidate-history metrics"' },
      );
    }
    connectSources();
    const { registry } = getMetrics();
    const text = await registry.metrics();
    res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store", "content-length": Buffer.byteLength(text) });
    res.end(req.method === "HEAD" ? undefined : text);
  } catch (error) {
    logEvent("error", "metrics could not be collected", { error: errorMessage(error) });
    if (res.headersSent) res.destroy();
    else json(500, { error: "internal_error", message: "the metrics could not be collected; see the server log" });
  }
}
