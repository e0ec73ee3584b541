import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { createGzip } from "node:zlib";
import { errorMessage, logEvent } from "../log";
import { noteRoute } from "../metrics/http-metrics";
import { apiRouteTable, HTTP_METHODS, type ApiRouteFile, type HttpMethod, type RouteModule } from "./api-routes";

/**
 * The dashboard's JSON API served straight from its route files (`app/api/**\/route.ts`), as the
 * webhooks are, instead of through Next.js's router: the same handlers, called with a web `Request`
 * and their `Response` written back, with what the framework did for them around it (params,
 * HEAD and OPTIONS, 405, gzip, aborting on disconnect).
 *
 * Why: Next.js's request handling costs about 3 ms per API request (p50; more at p95 on a loaded
 * machine), more than the SQL of most reads (`bench/scale.bench.ts`: `/api/health` 4.8 → 1.7 ms,
 * `deliveries?status=failed` 6.0 → 2.8 ms p50, measured side by side). The API needs none of it: its
 * routes import nothing from Next and the pages' middleware (proxy.ts) does not run for `/api/`.
 * `next dev` / `next start` still serve the same files through Next.js.
 *
 * Modules are imported on a path's first request, so start-up does not grow with the API.
 */
export function apiDispatcher(apiDir: string) {
  const table = apiRouteTable(apiDir);
  const modules = new Map<string, Promise<RouteModule>>();
  const load = (route: ApiRouteFile) => {
    let mod = modules.get(route.file);
    if (!mod) {
      mod = import(pathToFileURL(route.file).href) as Promise<RouteModule>;
      modules.set(route.file, mod);
      mod.catch(() => modules.delete(route.file));
    }
    return mod;
  };

  /** Whether this server answers the URL itself: `/api/…` without a trailing slash (Next redirects those). */
  function claims(url: string | undefined): boolean {
    if (!url || !url.startsWith("/api/")) return false;
    const q = url.indexOf("?");
    const pathname = q === -1 ? url : url.slice(0, q);
    return !pathname.endsWith("/");
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    const found = table.match(url.pathname);
    if (found === "bad_escape") return writeJson(res, 400, { error: "invalid_request", message: "the URL has a malformed percent-escape" });
    if (found === null) return writeJson(res, 404, { error: "not_found", message: `no API route ${url.pathname}; see the README's API section` });
    noteRoute(res, found.route.routePath);
    const mod = await load(found.route);
    const method = (req.method ?? "GET").toUpperCase();
    const allowed = HTTP_METHODS.filter((m) => typeof mod[m] === "function" || (m === "HEAD" && mod.GET) || m === "OPTIONS");
    const handler = mod[method as HttpMethod] ?? (method === "HEAD" ? mod.GET : undefined);
    if (!handler) {
      if (method === "OPTIONS") {
        res.writeHead(204, { allow: allowed.join(", ") });
        res.end();
        return;
      }
      return writeJson(res, 405, { error: "method_not_allowed", message: `${method} is not allowed on ${found.route.routePath}; use ${allowed.join(", ")}` }, { allow: allowed.join(", ") });
    }

    const hasBody = method !== "GET" && method !== "HEAD";
    const declared = Number(req.headers["content-length"]);
    if (hasBody && Number.isFinite(declared) && declared > MAX_API_BODY_BYTES) {
      req.resume(); // discard it: the connection stays usable
      return writeJson(res, 413, tooLarge(declared));
    }
    // The request's signal aborts when the client goes away before the answer is complete (an
    // export stops reading the database).
    const aborted = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) aborted.abort();
    });
    const body = hasBody ? boundedBody(req, MAX_API_BODY_BYTES) : null;
    const request = new Request(url, {
      method,
      headers: headersOf(req),
      body: body?.stream,
      signal: aborted.signal,
      // @ts-expect-error -- undici needs it for a streamed request body; not in lib.dom's RequestInit
      duplex: body ? "half" : undefined,
    });
    let response: Response;
    try {
      response = await handler(request, { params: Promise.resolve(found.params) });
    } catch (error) {
      logEvent("error", "API route failed", { route: found.route.routePath, method, error: errorMessage(error) });
      response = new Response(JSON.stringify({ error: "internal_error", message: "the server failed on this request; see the server log" }), {
        status: 500,
        headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
      });
    }
    // What the handler made of a body cut off at the limit (a JSON error, most likely) is not the answer.
    if (body?.overflowed()) {
      await response.body?.cancel().catch(() => {});
      body.discardRest();
      return writeJson(res, 413, tooLarge(null));
    }
    // A handler that did not read the whole body: the rest is discarded, so the connection can carry the next request.
    body?.discardRest();
    await writeResponse(req, res, response, method === "HEAD");
  }

  return { claims, handle, routes: table.routes };
}

/**
 * Request bodies of the dashboard's API are small JSON (the largest: a stage-name list); anyone can
 * send one to the login route before signing in, so the server never holds more than this of one.
 */
export const MAX_API_BODY_BYTES = 1024 * 1024;

const tooLarge = (declared: number | null) => ({
  error: "payload_too_large",
  message: `the request body is ${declared === null ? "over" : `${declared} bytes; over`} the limit of ${MAX_API_BODY_BYTES} bytes (1 MiB)`,
});

/**
 * The request body as a web stream that pulls from the socket as the handler reads (backpressure)
 * and stops at `limit` bytes: the stream errors, `overflowed()` says so, and nothing more is kept.
 */
function boundedBody(req: IncomingMessage, limit: number) {
  let size = 0;
  let over = false;
  let done = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        if (over) return;
        size += chunk.length;
        if (size > limit) {
          over = true;
          controller.error(new Error("request body over the limit"));
          return;
        }
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      req.once("end", () => {
        done = true;
        if (!over) controller.close();
      });
      req.once("error", (error) => {
        if (!over) controller.error(error);
      });
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      req.resume();
    },
  }, { highWaterMark: 4 });
  return {
    stream,
    overflowed: () => over,
    /** Reads what is left of the body into nothing (a flowing stream whose chunks are dropped). */
    discardRest() {
      if (done) return;
      req.removeAllListeners("data");
      req.resume();
    },
  };
}

/**
 * The handler's headers from `req.headers`, not the raw ones: the server's listener has already
 * dropped the forwarding headers an untrusted client sent and stamped the client's address there
 * (lib/http/client-address.ts), which the origin checks and the login throttle rely on.
 */
function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    // HTTP/2 pseudo-headers and hop-by-hop headers are not the handler's business.
    if (value === undefined || name.startsWith(":") || /^(connection|keep-alive|transfer-encoding|upgrade)$/i.test(name)) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** What Next.js compressed (its default `compress: true`): text answers of at least 1 KiB, or of unknown length. */
const COMPRESSIBLE = /^(application\/(json|problem\+json)|text\/)/i;
const MIN_COMPRESSED_BYTES = 1024;

async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response, head: boolean): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  const body = response.body;
  if (head || !body || response.status === 204 || response.status === 304) {
    await body?.cancel().catch(() => {});
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const length = response.headers.get("content-length");
  const gzip =
    /\bgzip\b/i.test(String(req.headers["accept-encoding"] ?? "")) &&
    !response.headers.has("content-encoding") &&
    COMPRESSIBLE.test(response.headers.get("content-type") ?? "") &&
    (length === null || Number(length) >= MIN_COMPRESSED_BYTES);
  if (gzip) {
    headers["content-encoding"] = "gzip";
    headers.vary = response.headers.has("vary") ? `${response.headers.get("vary")}, Accept-Encoding` : "Accept-Encoding";
    delete headers["content-length"];
  }
  res.writeHead(response.status, headers);
  const source = Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
  try {
    // Backpressure end to end: a slow client slows the handler's stream (a CSV export) down.
    if (gzip) await pipeline(source, createGzip(), res);
    else await pipeline(source, res);
  } catch {
    // The client went away, or the handler's stream failed mid-answer: the status is sent, so
    // the connection is cut (pipeline destroyed both sides) and the handler saw its signal abort.
  }
}
