import path from "node:path";
import { HTTP_METHODS, listApiRouteFiles, type RouteHandler } from "@/lib/http/api-routes";

export const apiDir = path.resolve(import.meta.dirname, "../../app/api");
export { HTTP_METHODS, type RouteHandler };

/** Every exported method of every route file under app/api, as `METHOD /api/path/[param]`. */
export async function discoverApiRoutes(): Promise<{ key: string; method: string; routePath: string; handler: RouteHandler }[]> {
  const found = [];
  for (const { file, routePath } of listApiRouteFiles(apiDir)) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const method of HTTP_METHODS) {
      if (typeof mod[method] === "function") found.push({ key: `${method} ${routePath}`, method, routePath, handler: mod[method] as RouteHandler });
    }
  }
  return found;
}
