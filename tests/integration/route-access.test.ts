import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Permission, Role } from "@/lib/auth/roles";
import { createSession, SESSION_COOKIE } from "@/lib/auth/session";
import { setDb } from "@/lib/db/client";
import { answerOf, BASE } from "../helpers/api";
import { discoverApiRoutes } from "../helpers/route-files";
import { createTestDb, type TestDb } from "../helpers/test-db";

/**
 * Every API route's decision (issue 19): the permission it needs, or "public". The test walks
 * app/api for route files, so a route (or a method) added without a line here fails.
 * `probe` is the request that exercises the route once allowed: an unknown id or an invalid body,
 * so no role changes anything the next probe relies on.
 */
/** `origin`: where the request is addressed (default BASE); the demo posts its deliveries there. */
type Decision = { access: Permission | "public"; path: string; body?: unknown; origin?: string };
const DECISIONS: Record<string, Decision> = {
  "GET /api/[...path]": { access: "public", path: "/api/nope" },
  "HEAD /api/[...path]": { access: "public", path: "/api/nope" },
  "POST /api/[...path]": { access: "public", path: "/api/nope" },
  "PUT /api/[...path]": { access: "public", path: "/api/nope" },
  "PATCH /api/[...path]": { access: "public", path: "/api/nope" },
  "DELETE /api/[...path]": { access: "public", path: "/api/nope" },
  "OPTIONS /api/[...path]": { access: "public", path: "/api/nope" },
  "GET /api/health": { access: "public", path: "/api/health" },
  "POST /api/auth/login": { access: "public", path: "/api/auth/login", body: {} },
  "GET /api/auth/sso": { access: "public", path: "/api/auth/sso" },
  "GET /api/auth/sso/callback": { access: "public", path: "/api/auth/sso/callback" },
  "POST /api/auth/accept-invite": { access: "public", path: "/api/auth/accept-invite", body: {} },
  "DELETE /api/auth/sessions": { access: "admin", path: "/api/auth/sessions" },
  "GET /api/stats": { access: "read", path: "/api/stats" },
  "GET /api/candidates": { access: "read", path: "/api/candidates" },
  "GET /api/candidates/[id]": { access: "read", path: "/api/candidates/cand_missing" },
  "GET /api/candidates/[id]/timeline": { access: "read", path: "/api/candidates/cand_missing/timeline" },
  "GET /api/events": { access: "read", path: "/api/events" },
  "GET /api/people": { access: "read", path: "/api/people" },
  "GET /api/people/[id]": { access: "read", path: "/api/people/per_missing" },
  "GET /api/people/[id]/timeline": { access: "read", path: "/api/people/per_missing/timeline" },
  "POST /api/people/[id]/link": { access: "write", path: "/api/people/per_missing/link", body: { candidateId: "cand_missing" } },
  "POST /api/people/[id]/unlink": { access: "write", path: "/api/people/per_missing/unlink", body: { candidateId: "cand_missing" } },
  "GET /api/people/[id]/suggestions": { access: "read", path: "/api/people/per_missing/suggestions" },
  "POST /api/people/[id]/suggestions/accept": { access: "write", path: "/api/people/per_missing/suggestions/accept", body: { candidateId: "cand_missing" } },
  "POST /api/people/[id]/suggestions/dismiss": { access: "write", path: "/api/people/per_missing/suggestions/dismiss", body: { candidateId: "cand_missing" } },
  "GET /api/events/export.csv": { access: "export", path: "/api/events/export.csv" },
  "GET /api/deliveries": { access: "read", path: "/api/deliveries" },
  "GET /api/deliveries/[id]": { access: "read", path: "/api/deliveries/dlv_missing" },
  "GET /api/deliveries/export.csv": { access: "export", path: "/api/deliveries/export.csv" },
  "POST /api/deliveries/[id]/reprocess": { access: "write", path: "/api/deliveries/dlv_missing/reprocess" },
  "POST /api/reprocess": { access: "write", path: "/api/reprocess", body: { from: "not a date" } },
  // The demo posts its deliveries to the request's own origin: a closed loopback port refuses them at
  // once (an unresolvable host name would wait on DNS for every delivery).
  "POST /api/demo": { access: "write", path: "/api/demo", body: {}, origin: "http://127.0.0.1:9" },
  "GET /api/candidates/[id]/timeline/events/[eventId]/changes": { access: "read", path: "/api/candidates/cand_missing/timeline/events/evt_missing/changes" },
  "GET /api/deliveries/[id]/body": { access: "read", path: "/api/deliveries/dlv_missing/body" },
  "POST /api/deliveries/reprocess": { access: "write", path: "/api/deliveries/reprocess?q=dlv_missing" },
  "GET /api/events/export-count": { access: "read", path: "/api/events/export-count" },
  "DELETE /api/test-data": { access: "write", path: "/api/test-data" },
  "GET /api/endpoints/[id]/activity": { access: "read", path: "/api/endpoints/ep_missing/activity" },
  "GET /api/endpoints": { access: "read", path: "/api/endpoints" },
  "POST /api/endpoints": { access: "write", path: "/api/endpoints", body: { provider: "nope" } },
  "GET /api/endpoints/[id]": { access: "read", path: "/api/endpoints/ep_missing" },
  "PATCH /api/endpoints/[id]": { access: "write", path: "/api/endpoints/ep_missing", body: { name: "x" } },
  "DELETE /api/endpoints/[id]": { access: "write", path: "/api/endpoints/ep_missing" },
  "POST /api/endpoints/[id]/rotate-secret": { access: "write", path: "/api/endpoints/ep_missing/rotate-secret", body: {} },
  "POST /api/endpoints/[id]/rotate-url": { access: "write", path: "/api/endpoints/ep_missing/rotate-url", body: {} },
  "POST /api/endpoints/[id]/test-delivery": { access: "write", path: "/api/endpoints/ep_missing/test-delivery", body: {} },
  "GET /api/endpoints/[id]/stage-names": { access: "read", path: "/api/endpoints/ep_missing/stage-names" },
  "PUT /api/endpoints/[id]/stage-names": { access: "write", path: "/api/endpoints/ep_missing/stage-names", body: { names: {} } },
  "GET /api/users": { access: "admin", path: "/api/users" },
  "POST /api/users": { access: "admin", path: "/api/users", body: { email: "not an email" } },
  "PATCH /api/users/[id]": { access: "admin", path: "/api/users/usr_missing", body: { role: "viewer" } },
  "DELETE /api/users/[id]": { access: "admin", path: "/api/users/usr_missing" },
  "POST /api/users/[id]/invite": { access: "admin", path: "/api/users/usr_missing/invite" },
  "GET /api/audit": { access: "admin", path: "/api/audit" },
  "POST /api/candidates/[id]/erase": { access: "write", path: "/api/candidates/cand_missing/erase", body: { confirm: "x" } },
  "POST /api/people/[id]/erase": { access: "write", path: "/api/people/per_missing/erase", body: { confirm: "x" } },
  "GET /api/erasures": { access: "write", path: "/api/erasures" },
  "GET /api/settings/retention": { access: "write", path: "/api/settings/retention" },
  "PUT /api/settings/retention": { access: "write", path: "/api/settings/retention", body: { rawBodyDays: 0 } },
  "POST /api/retention/run": { access: "write", path: "/api/retention/run" },
  "GET /api/audit/export.csv": { access: "admin", path: "/api/audit/export.csv" },
  "GET /api/openapi.json": { access: "read", path: "/api/openapi.json" },
  "GET /api/tokens": { access: "read", path: "/api/tokens" },
  "POST /api/tokens": { access: "read", path: "/api/tokens", body: { name: "" } },
  "DELETE /api/tokens/[id]": { access: "read", path: "/api/tokens/tok_missing" },
  "GET /api/sessions": { access: "read", path: "/api/sessions" },
  "GET /api/analytics/jobs": { access: "read", path: "/api/analytics/jobs" },
  "GET /api/analytics/funnel": { access: "read", path: "/api/analytics/funnel?jobId=job_missing" },
  "GET /api/analytics/time-in-stage": { access: "read", path: "/api/analytics/time-in-stage?jobId=job_missing" },
  "GET /api/analytics/flow": { access: "read", path: "/api/analytics/flow?jobId=job_missing" },
  "DELETE /api/sessions/[id]": { access: "read", path: "/api/sessions/missing" },
};

type RouteMethod = Awaited<ReturnType<typeof discoverApiRoutes>>[number];

/** The route's params from the probe path, by the [segments] of its route path. */
function paramsOf(key: string, probePath: string): Record<string, string> {
  const pattern = key.split(" ")[1]!.split("/");
  const actual = probePath.split("/");
  return Object.fromEntries(pattern.flatMap((seg, i) => (/^\[[^.]+\]$/.test(seg) ? [[seg.slice(1, -1), actual[i]!]] : [])));
}

type Caller = { name: string; permissions: Permission[]; headers: () => Record<string, string> };

describe("route × role: every API route answers each role as its decision says", () => {
  let t: TestDb;
  let routes: RouteMethod[];
  const cookies = new Map<string, string>();
  const users: { name: string; role: Role; canExport: boolean; permissions: Permission[] }[] = [
    { name: "viewer", role: "viewer", canExport: false, permissions: ["read"] },
    { name: "viewer with export", role: "viewer", canExport: true, permissions: ["read", "export"] },
    { name: "admin", role: "admin", canExport: false, permissions: ["read", "write"] },
    { name: "owner", role: "owner", canExport: false, permissions: ["read", "write", "admin"] },
  ];

  beforeAll(async () => {
    t = await createTestDb("pglite");
    setDb(t.db);
    routes = await discoverApiRoutes();
    for (const user of users) {
      const id = userId(user.name);
      await t.db.prisma.user.create({ data: { id, email: `${id}@example.test`, name: user.name, role: user.role, canExport: user.canExport, passwordHash: "x" } });
    }
  }, 60_000);
  const userId = (name: string) => `usr_${name.replace(/\W/g, "_")}`;
  // Fresh sessions before each route: DELETE /api/auth/sessions ends them all.
  async function signInEveryone() {
    for (const user of users) cookies.set(user.name, await createSession(t.db.sql, undefined, undefined, userId(user.name)));
  }
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("has a decision for every route and method, and no decision for a route that is gone", () => {
    const keys = routes.map((r) => r.key).sort();
    expect(keys.filter((k) => !(k in DECISIONS)), "routes without a decision in DECISIONS").toEqual([]);
    expect(Object.keys(DECISIONS).filter((k) => !keys.includes(k)), "decisions for routes that do not exist").toEqual([]);
  });

  const callers = (): Caller[] => [
    { name: "anonymous", permissions: [], headers: () => ({}) },
    ...users.map((u) => ({ name: u.name, permissions: u.permissions, headers: () => ({ cookie: `${SESSION_COOKIE}=${cookies.get(u.name)}` }) })),
    { name: "admin token", permissions: ["read", "write", "export", "admin"] as Permission[], headers: () => ({ authorization: `Bearer ${process.env.ADMIN_TOKEN}` }) },
  ];

  it("answers 401 without credentials, 403 with a reason without the permission, and runs the handler with it", async () => {
    const table: string[] = [];
    for (const route of routes) {
      const decision = DECISIONS[route.key]!;
      await signInEveryone();
      for (const caller of callers()) {
        const [method] = route.key.split(" ");
        const request = new Request(`${decision.origin ?? BASE}${decision.path}`, {
          method,
          headers: { ...caller.headers(), ...(decision.body !== undefined ? { "content-type": "application/json" } : {}) },
          body: decision.body !== undefined ? JSON.stringify(decision.body) : null,
        });
        const answer = await answerOf(await route.handler(request, { params: Promise.resolve(paramsOf(route.key, decision.path)) }));
        const expected = decision.access === "public" ? "any" : caller.name === "anonymous" ? 401 : caller.permissions.includes(decision.access) ? "allowed" : 403;
        table.push(`${route.key} × ${caller.name} → ${answer.status}`);
        if (expected === 401) expect(answer.status, `${route.key} × ${caller.name}`).toBe(401);
        if (expected === 403) {
          expect(answer.status, `${route.key} × ${caller.name}`).toBe(403);
          expect(answer.json).toMatchObject({ error: "forbidden", permission: decision.access });
          expect(answer.json.message).toMatch(/needs/);
        }
        if (expected === "allowed") expect([401, 403], `${route.key} × ${caller.name}`).not.toContain(answer.status);
        if (expected === "any") expect([401, 403], `${route.key} × ${caller.name}`).not.toContain(answer.status);
      }
    }
    expect(table.length).toBe(routes.length * callers().length);
  }, 120_000);
});
