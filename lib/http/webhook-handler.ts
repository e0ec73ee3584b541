import { clientAddress, parseTrustedProxies, type TrustedProxies } from "./client-address";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getDb } from "../db/client";
import { getEndpointForIngestCached, recordRejectedAttempt, urlExpired, type IngestEndpoint } from "../db/endpoints";
import { recordUnknownEndpointRequest } from "../db/rejected-requests";
import { getEnv } from "../env";
import { newId } from "../ids";
import { MAX_BODY_BYTES, maskedEndpointToken, receiveDelivery, redactHeaders, unknownEndpointMessage } from "../ingest/receive-delivery";
import { errorMessage, logEvent } from "../log";
import { noteRefusal } from "../metrics/http-metrics";
import { BodyBudget } from "./body-budget";
import { ConnectionErrorLog } from "./connection-log";

/** What a sender may use; anything else is answered here, before the database is asked anything. */
const WEBHOOK_METHODS = ["POST", "PUT", "PATCH"];

// One budget and one error log per process: the server (scripts/serve.ts) and the Pages route
// (next dev) load separate copies of this module.
const shared = globalThis as unknown as { webhookBodyBudget?: BodyBudget; connectionErrorLog?: ConnectionErrorLog; unknownLogged?: { second: number; count: number } };

export function webhookBodyBudget(): BodyBudget {
  return (shared.webhookBodyBudget ??= new BodyBudget(Math.floor(getEnv().WEBHOOK_BODY_BUDGET_MB * 1024 * 1024)));
}

export function connectionErrorLog(): ConnectionErrorLog {
  return (shared.connectionErrorLog ??= new ConnectionErrorLog());
}

/**
 * The webhook route's whole job: adapt Node's request to the framework-free ingest and write the
 * answer. It takes Node's own request and response (from the custom server, lib/http/route-requests.ts,
 * or the Pages API route; why both: pages/api/webhooks/[endpointId].ts) rather than a web `Request`:
 * the body is read straight from the socket stream, with no web-stream adaptation.
 *
 * Anyone may call this URL, so nothing is read before it is known to be worth reading: the method,
 * the endpoint (from the URL, a cached lookup), the declared length and this instance's budget of
 * body bytes in flight are checked first, and a refusal drops whatever body follows (see refuse()).
 */
export async function handleWebhook(req: IncomingMessage, res: ServerResponse, endpointId: string): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  if (!WEBHOOK_METHODS.includes(method)) {
    return refuse(req, res, 405, { error: "method_not_allowed", message: `webhooks are delivered with ${WEBHOOK_METHODS.join(", ")}; got ${method}` }, { Allow: WEBHOOK_METHODS.join(", ") });
  }
  let endpoint: IngestEndpoint | null;
  try {
    endpoint = await getEndpointForIngestCached(getDb().sql, endpointId);
  } catch (error) {
    logEvent("error", "webhook storage unavailable", { endpointId, error: errorMessage(error) });
    return refuse(req, res, 503, { error: "storage_unavailable", message: "the database is unavailable; nothing was stored, retry later" }, { "Retry-After": "5" });
  }
  if (!endpoint) {
    await logUnknownEndpoint(req, method, endpointId);
    return refuse(req, res, 404, { error: "endpoint_not_found", message: unknownEndpointMessage(endpointId) });
  }
  if (urlExpired(endpoint)) {
    // A sender still on the URL a rotation replaced: the endpoint's own log says so (within the same
    // write rate as unknown URLs: whoever the old URL leaked to may still be sending).
    const message = `this URL was replaced by a URL rotation and stopped working at ${endpoint.urlValidUntil!.toISOString()}; copy the endpoint's current URL from Settings`;
    if (mayLogUnknown()) await refuseLogged(req, res, endpoint, method, 404, "endpoint_url_replaced", message);
    else refuse(req, res, 404, { error: "endpoint_url_replaced", message });
    return;
  }
  if (endpoint.deleted) {
    return refuseLogged(req, res, endpoint, method, 410, "endpoint_deleted", `endpoint "${endpoint.id}" was deleted; create a new endpoint in Settings and give its URL to the sender`);
  }
  if (!endpoint.enabled) {
    return refuseLogged(req, res, endpoint, method, 410, "endpoint_disabled", `endpoint "${endpoint.id}" is disabled; enable it in Settings to receive deliveries again`);
  }
  const declared = Number(req.headers["content-length"] ?? "NaN");
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    return refuseLogged(req, res, endpoint, method, 413, "payload_too_large", `body is at least ${declared} bytes; the limit is ${MAX_BODY_BYTES} bytes (1 MiB)`);
  }
  const budget = webhookBodyBudget();
  const small = Number.isFinite(declared) && declared <= budget.smallBody;
  if (!budget.take(0, small) || (Number.isFinite(declared) && !fits(budget, declared, small))) {
    return refuse(req, res, 503, busyBody, { "Retry-After": "5" });
  }
  const read = await readBody(req, MAX_BODY_BYTES, budget, small);
  if (read.status === "aborted") {
    connectionErrorLog().note("webhook upload aborted");
    return;
  }
  if (read.status === "too_large") {
    return refuseLogged(req, res, endpoint, method, 413, "payload_too_large", `body is at least ${read.size} bytes; the limit is ${MAX_BODY_BYTES} bytes (1 MiB)`, read.size);
  }
  if (read.status === "over_budget") return refuse(req, res, 503, busyBody, { "Retry-After": "5" });
  try {
    const headers = plainHeaders(req);
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const result = await receiveDelivery({
      db: getDb(),
      endpointId,
      endpoint,
      method,
      query: queryAt === -1 ? "" : url.slice(queryAt + 1),
      headers,
      source: sourceOf(req),
      body: read.body,
      answerWhen: getEnv().WEBHOOK_ANSWER,
    });
    answer(res, result.status, result.body, result.headers);
  } finally {
    budget.release(read.body.length);
  }
}

function plainHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function sourceOf(req: IncomingMessage): string {
  return clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustedProxies());
}

/** What the refused-request log keeps of a request refused before its body was read: no body, its declared size. */
function unreadRequest(req: IncomingMessage, method: string, size?: number) {
  const headers = plainHeaders(req);
  const declared = Number(headers["content-length"] ?? "NaN");
  return {
    method,
    contentType: headers["content-type"] ?? null,
    source: sourceOf(req),
    headers: redactHeaders(headers),
    body: Buffer.alloc(0),
    size: size ?? (Number.isFinite(declared) && declared >= 0 ? Math.min(declared, 2 ** 31 - 1) : 0),
  };
}

/**
 * A refusal of a known endpoint (disabled, deleted, too large): counted on it and kept in its
 * bounded refused-request log, then answered. A failure to log is logged, never the sender's problem.
 */
async function refuseLogged(req: IncomingMessage, res: ServerResponse, endpoint: IngestEndpoint, method: string, status: number, error: string, message: string, size?: number): Promise<void> {
  const at = new Date();
  await recordRejectedAttempt(getDb().prisma, { id: newId("rej"), endpointId: endpoint.id, status, reason: message, at }, { provider: endpoint.provider, error, ...unreadRequest(req, method, size) }).catch(
    (e) => logEvent("warn", "could not log a refused request", { endpointId: endpoint.id, error: errorMessage(e) }),
  );
  refuse(req, res, status, { error, message });
}

/**
 * Requests to URLs no endpoint has (or no longer has: replaced by a rotation) are written to the
 * refused-request log at most this many times a second per instance: anyone can send them, and a
 * spray of 404s must cost no more than a lookup each (the table is bounded too,
 * REJECTED_KEPT_UNKNOWN). Beyond it they are counted in the metrics only.
 */
export const UNKNOWN_LOGGED_PER_SECOND = 5;

function mayLogUnknown(now = Date.now()): boolean {
  const second = Math.floor(now / 1000);
  const state = (shared.unknownLogged ??= { second, count: 0 });
  if (state.second !== second) {
    state.second = second;
    state.count = 0;
  }
  return state.count++ < UNKNOWN_LOGGED_PER_SECOND;
}

async function logUnknownEndpoint(req: IncomingMessage, method: string, token: string): Promise<void> {
  if (!mayLogUnknown()) return;
  await recordUnknownEndpointRequest(getDb().prisma, {
    id: newId("rej"),
    at: new Date(),
    status: 404,
    error: "endpoint_not_found",
    reason: `no endpoint has the URL /api/webhooks/${maskedEndpointToken(token)} (unknown, or replaced by a URL rotation whose overlap has ended)`,
    ...unreadRequest(req, method),
  }).catch((e) => logEvent("warn", "could not log a refused request", { error: errorMessage(e) }));
}

const busyBody = { error: "server_busy", message: "this server is receiving as many webhook bodies as it holds at once; nothing was read, retry later" };

/** Whether `declared` bytes would fit now (checked without taking them: bytes are taken as they arrive). */
function fits(budget: BodyBudget, declared: number, small: boolean): boolean {
  if (!budget.take(declared, small)) return false;
  budget.release(declared);
  return true;
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status >= 400) noteRefusal(res, (body as { error?: unknown } | null)?.error);
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** How long a refused sender may go on uploading after its answer before the connection is cut. */
const REFUSE_LINGER_MS = 2_000;
/** A body up to this size is drained after a refusal; a longer one is not worth reading. */
const DRAIN_AT_MOST = 64 * 1024;

/**
 * An answer before the body was read (or all of it). A short body, or the rest of an oversized
 * one (413), is dropped as it arrives — closing at once would reset the connection with the answer
 * possibly unsent, and an honest sender would see a broken pipe instead of its 404 or 413 — and a
 * sender still uploading REFUSE_LINGER_MS later is cut off. A long body to a refused endpoint (or
 * beyond the budget) is not read at all: the connection is closed after the answer.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const declared = Number(req.headers["content-length"] ?? "NaN");
  const drain = req.complete || status === 413 || (Number.isFinite(declared) && declared <= DRAIN_AT_MOST);
  answer(res, status, body, drain ? headers : { Connection: "close", ...headers });
  if (req.complete || !drain) return;
  req.resume();
  const timer = setTimeout(() => {
    if (!req.complete) req.socket.destroy();
  }, REFUSE_LINGER_MS);
  timer.unref();
  req.once("end", () => clearTimeout(timer));
}

type ReadBodyResult =
  | { status: "ok"; body: Buffer }
  | { status: "too_large"; size: number }
  | { status: "over_budget" }
  | { status: "aborted" };

/**
 * Reads the body once, taking its bytes from the budget as they arrive and stopping as soon as it
 * passes `limit` or the budget: what one request can hold is bounded, and what all of them hold
 * together too. A body that stops is cut by the server's request timeout (HTTP_REQUEST_TIMEOUT_MS),
 * which gives its bytes back here.
 */
function readBody(req: IncomingMessage, limit: number, budget: BodyBudget, small: boolean): Promise<ReadBodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: ReadBodyResult) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAbort);
      req.off("close", onClose);
      if (result.status !== "ok") budget.release(size);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) return finish({ status: "too_large", size: size + chunk.length });
      if (!budget.take(chunk.length, small)) return finish({ status: "over_budget" });
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => finish({ status: "ok", body: Buffer.concat(chunks, size) });
    const onAbort = () => finish({ status: "aborted" });
    const onClose = () => {
      if (!req.complete) finish({ status: "aborted" });
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
    req.on("close", onClose);
  });
}

let trusted: TrustedProxies | undefined;
function trustedProxies(): TrustedProxies {
  trusted ??= parseTrustedProxies(getEnv().TRUSTED_PROXIES);
  return trusted;
}
