import { readdirSync } from "node:fs";
import path from "node:path";

export const apiDir = path.resolve(import.meta.dirname, "../../app/api");
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? routeFiles(full) : entry.name === "route.ts" ? [full] : [];
  });
}

/** Every exported method of every route file under app/api, as `METHOD /api/path/[param]`. */
export async function discoverApiRoutes(): Promise<{ key: string; method: string; routePath: string; handler: RouteHandler }[]> {
  const found = [];
  for (const file of routeFiles(apiDir)) {
    const routePath = `/api/${path.relative(apiDir, path.dirname(file)).split(path.sep).join("/")}`.replace(/\/$/, "");
    const mod = (await import(file)) as Record<string, unknown>;
    for (const method of HTTP_METHODS) {
      if (typeof mod[method] === "function") found.push({ key: `${method} ${routePath}`, method, routePath, handler: mod[method] as RouteHandler });
    }
  }
  return found;
}
