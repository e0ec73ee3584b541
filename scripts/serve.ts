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

export async function serve(options: ServeOptions): Promise<http.Server> {
  // React and Next pick their production builds from this, and read it when first imported.
  (process.env as Record<string, string>).NODE_ENV = "production";
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const [{ default: next }, { routeRequests }, { logEvent, errorMessage }] = await Promise.all([
    import("next"),
    import("../lib/http/route-requests"),
    import("../lib/log"),
  ]);
  const app = next({ dev: false, dir: root, hostname: options.host ?? "localhost", port: options.port });
  await app.prepare();
  const nextHandler = app.getRequestHandler();
  const server = http.createServer(
    routeRequests(
      (req, res) => nextHandler(req, res),
      (error) => logEvent("error", "webhook handler failed", { error: errorMessage(error) }),
    ),
  );
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
