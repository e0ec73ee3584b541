// Serves the built app: one node:http server on PORT (and HOST, default all interfaces) that hands
// webhook deliveries to lib/http/route-requests.ts and everything else to Next.js (a custom server,
// https://nextjs.org/docs/app/guides/custom-server). `npm start` runs it after building and
// migrating; the tests and benchmarks start it directly.
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");

export interface ServeOptions {
  port: number;
  host?: string;
}

/**
 * Node's own limits on what one connection may hold (see README, Security): headers within
 * HTTP_HEADERS_TIMEOUT_MS, the whole request within HTTP_REQUEST_TIMEOUT_MS, idle keep-alive
 * closed after HTTP_KEEP_ALIVE_TIMEOUT_MS. The check runs every second so a stalled upload is cut
 * at most a second late.
 */
export function serverOptions(env: { HTTP_HEADERS_TIMEOUT_MS: number; HTTP_REQUEST_TIMEOUT_MS: number; HTTP_KEEP_ALIVE_TIMEOUT_MS: number }): http.ServerOptions {
  return {
    headersTimeout: Math.min(env.HTTP_HEADERS_TIMEOUT_MS, env.HTTP_REQUEST_TIMEOUT_MS),
    requestTimeout: env.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: 1_000,
  };
}

export async function serve(options: ServeOptions): Promise<http.Server> {
  // React and Next pick their production builds from this, and read it when first imported.
  (process.env as Record<string, string>).NODE_ENV = "production";
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  // Files first (PGlite's are created private), then the recovery of deliveries an earlier run stored
  // but did not process (a kill -9): on the webhook path's own database handle, before Next.js is even
  // loaded, so they are processed within the first seconds of a restart rather than after Next
  // prepares. instrumentation.ts starts the loop for `next start` / `next dev`, and leaves it to this
  // when the mark is set.
  const [{ getEnv }, { makeDataDirPrivate }] = await Promise.all([import("../lib/env"), import("../lib/private-files")]);
  const env = getEnv();
  makeDataDirPrivate(env.dataDir);
  const [{ getDb }, { startRecoveryLoop, RECOVERY_LOOP_STARTED }] = await Promise.all([import("../lib/db/client"), import("../lib/ingest/recover-unprocessed")]);
  startRecoveryLoop(() => getDb());
  (globalThis as Record<symbol, unknown>)[RECOVERY_LOOP_STARTED] = true;
  const [{ default: next }, { routeRequests }, { connectionErrorLog }, { logEvent, errorMessage }] = await Promise.all([
    import("next"),
    import("../lib/http/route-requests"),
    import("../lib/http/webhook-handler"),
    import("../lib/log"),
  ]);
  const { apiDispatcher } = await import("../lib/http/api-dispatch");
  const app = next({ dev: false, dir: root, hostname: options.host ?? "localhost", port: options.port });
  await app.prepare();
  const nextHandler = app.getRequestHandler();
  const server = http.createServer(
    serverOptions(env),
    routeRequests(
      (req, res) => nextHandler(req, res),
      (error, where) => logEvent("error", `${where} handler failed`, { error: errorMessage(error) }),
      apiDispatcher(path.join(root, "app/api")),
    ),
  );
  // Timeouts, resets and malformed requests: answered as Node would, logged as a periodic summary.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    connectionErrorLog().note(error.code ?? "client error");
    if (socket.writable && !(socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
      const timeout = error.code === "ERR_HTTP_REQUEST_TIMEOUT" || error.code === "ERR_HTTP_HEADERS_TIMEOUT";
      socket.end(timeout ? "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n" : "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    }
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const shutdown = () => {
    // Stop taking connections; answers in progress finish, then the process ends.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  console.log(`listening on http://${options.host ?? "localhost"}:${options.port}`);
  return server;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { getEnv } = await import("../lib/env");
  const env = getEnv();
  await serve({ port: env.PORT, host: env.HOST });
}
