import { readdirSync } from "node:fs";
import path from "node:path";

/**
 * The dashboard's API as its route files say it is: every `app/api/**\/route.ts`, its URL pattern
 * and its segments. One reading of the folder serves the server's direct dispatch
 * (lib/http/api-dispatch.ts) and the tests that walk every route, so the files stay the only place
 * a route is declared.
 */
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type RouteHandler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> | Response;
export type RouteModule = Partial<Record<HttpMethod, RouteHandler>>;

type Segment = { kind: "static"; value: string } | { kind: "param"; name: string } | { kind: "catchAll"; name: string };

export interface ApiRouteFile {
  /** `/api/candidates/[id]/timeline` */
  routePath: string;
  file: string;
  segments: Segment[];
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? routeFiles(full) : entry.name === "route.ts" ? [full] : [];
  });
}

function segmentOf(name: string): Segment {
  const catchAll = /^\[\.\.\.(.+)\]$/.exec(name);
  if (catchAll) return { kind: "catchAll", name: catchAll[1] };
  const param = /^\[(.+)\]$/.exec(name);
  return param ? { kind: "param", name: param[1] } : { kind: "static", value: name };
}

/** Every route file under `apiDir` (the app's `app/api`). */
export function listApiRouteFiles(apiDir: string): ApiRouteFile[] {
  return routeFiles(apiDir).map((file) => {
    const names = path.relative(apiDir, path.dirname(file)).split(path.sep).filter(Boolean);
    return { routePath: ["/api", ...names].join("/"), file, segments: names.map(segmentOf) };
  });
}

const RANK = { static: 0, param: 1, catchAll: 2 } as const;

/**
 * Next.js's precedence, segment by segment from the left: a static name beats a `[param]`, which
 * beats a `[...catchAll]` (`/api/deliveries/export.csv` is the export, not delivery "export.csv").
 */
function compareSpecificity(a: ApiRouteFile, b: ApiRouteFile): number {
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const x = a.segments[i];
    const y = b.segments[i];
    if (!x || !y) return x ? -1 : 1;
    const d = RANK[x.kind] - RANK[y.kind];
    if (d !== 0) return d;
  }
  return 0;
}

export interface ApiRouteTable {
  routes: ApiRouteFile[];
  /**
   * The route a path (below `/api`, without query) belongs to, with its decoded params; null when
   * no route claims it, `"bad_escape"` when a segment is not valid percent-encoding.
   */
  match(pathname: string): { route: ApiRouteFile; params: Record<string, string | string[]> } | null | "bad_escape";
}

export function apiRouteTable(apiDir: string): ApiRouteTable {
  const routes = listApiRouteFiles(apiDir).sort(compareSpecificity);
  return {
    routes,
    match(pathname) {
      const parts = pathname.split("/").slice(2); // "", "api", …
      let decoded: string[];
      try {
        decoded = parts.map((p) => decodeURIComponent(p));
      } catch {
        return "bad_escape";
      }
      for (const route of routes) {
        const params: Record<string, string | string[]> = {};
        let ok = true;
        let i = 0;
        for (; i < route.segments.length && ok; i++) {
          const seg = route.segments[i];
          if (seg.kind === "catchAll") {
            if (i >= decoded.length) ok = false;
            else params[seg.name] = decoded.slice(i);
            i = decoded.length;
            break;
          }
          if (i >= decoded.length || decoded[i] === "") ok = false;
          else if (seg.kind === "static") ok = seg.value === decoded[i];
          else params[seg.name] = decoded[i];
        }
        if (ok && i === decoded.length) return { route, params };
      }
      return null;
    },
  };
}
