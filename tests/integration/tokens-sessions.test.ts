import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteSessionRoute } from "@/app/api/sessions/[id]/route";
import { GET as listSessionsRoute } from "@/app/api/sessions/route";
import { DELETE as deleteTokenRoute } from "@/app/api/tokens/[id]/route";
import { GET as listTokensRoute, POST as createTokenRoute } from "@/app/api/tokens/route";
import { GET as listEndpointsRoute, POST as createEndpointRoute } from "@/app/api/endpoints/route";
import { GET as exportEventsRoute } from "@/app/api/events/export.csv/route";
import { GET as listUsersRoute } from "@/app/api/users/route";
import { hashApiToken } from "@/lib/auth/api-tokens";
import { createSession, SESSION_COOKIE } from "@/lib/auth/session";
import { openDb, setDb, type Db } from "@/lib/db/client";
import { call } from "../helpers/api";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

const kinds: DbKind[] = ["pglite", "postgres"];
const json = { "content-type": "application/json" };

describe.each(kinds)("personal API tokens and the sessions API on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    await t.db.prisma.user.create({ data: { id: "usr_admin", email: "ops@example.test", name: "Ops", role: "admin", canExport: false, passwordHash: "x" } });
    await t.db.prisma.user.create({ data: { id: "usr_viewer", email: "rec@example.test", name: "Rec", role: "viewer", canExport: true, passwordHash: "x" } });
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  const cookieFor = async (userId: string | null) => `${SESSION_COOKIE}=${await createSession(t.db.sql, undefined, undefined, userId)}`;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const makeToken = (cookie: string, body: unknown) =>
    call(createTokenRoute as never, "POST", "/api/tokens", { body: JSON.stringify(body), headers: { cookie, ...json }, auth: false });

  it("a token is shown once, kept as a hash, and does what both its scopes and its user's role allow", async () => {
    const cookie = await cookieFor("usr_admin");
    const made = await makeToken(cookie, { name: "ci", scopes: ["read"] });
    expect(made.status).toBe(201);
    expect(made.json.token).toMatch(/^cht_/);
    const row = await t.db.prisma.apiToken.findUniqueOrThrow({ where: { id: made.json.id } });
    expect(row.tokenHash).toBe(hashApiToken(made.json.token));
    expect(JSON.stringify(row)).not.toContain(made.json.token);

    const listed = await call(listTokensRoute as never, "GET", "/api/tokens", { headers: { cookie }, auth: false });
    expect(listed.json.tokens).toHaveLength(1);
    expect(JSON.stringify(listed.json)).not.toContain(made.json.token);
    expect(listed.json.tokens[0].lastUsedAt).toBeNull();

    expect((await call(listEndpointsRoute as never, "GET", "/api/endpoints", { headers: bearer(made.json.token), auth: false })).status).toBe(200);
    // The read scope cannot write, though its user (an admin) could.
    const write = await call(createEndpointRoute as never, "POST", "/api/endpoints", { body: JSON.stringify({ provider: "greenhouse", name: "x" }), headers: { ...bearer(made.json.token), ...json }, auth: false });
    expect(write.status).toBe(403);
    const used = await call(listTokensRoute as never, "GET", "/api/tokens", { headers: { cookie }, auth: false });
    expect(used.json.tokens[0].lastUsedAt).not.toBeNull();

    // A scope the maker lacks cannot be granted.
    expect((await makeToken(cookie, { name: "x", scopes: ["admin"] })).status).toBe(403);
    // Export: only with the permission and the scope.
    const viewerCookie = await cookieFor("usr_viewer");
    const exporter = await makeToken(viewerCookie, { name: "export", scopes: ["export"] });
    expect((await call(exportEventsRoute as never, "GET", "/api/events/export.csv", { headers: bearer(exporter.json.token), auth: false })).status).toBe(200);
    expect((await call(exportEventsRoute as never, "GET", "/api/events/export.csv", { headers: bearer(made.json.token), auth: false })).status).toBe(403);
  });

  it("revoked or expired: the token stops at once; only its maker or the owner may revoke it", async () => {
    const cookie = await cookieFor("usr_admin");
    const made = await makeToken(cookie, { name: "short", scopes: ["read", "write"], expiresInDays: 1 });
    const list = () => call(listEndpointsRoute as never, "GET", "/api/endpoints", { headers: bearer(made.json.token), auth: false });
    expect((await list()).status).toBe(200);
    await t.db.prisma.apiToken.update({ where: { id: made.json.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await list()).status).toBe(401);

    const other = await makeToken(cookie, { name: "revoked", scopes: ["read"] });
    const viewerCookie = await cookieFor("usr_viewer");
    // Someone else's token is not theirs to revoke; the owner's admin token may.
    expect((await call(deleteTokenRoute as never, "DELETE", `/api/tokens/${other.json.id}`, { params: { id: other.json.id }, headers: { cookie: viewerCookie }, auth: false })).status).toBe(404);
    expect((await call(deleteTokenRoute as never, "DELETE", `/api/tokens/${other.json.id}`, { params: { id: other.json.id }, headers: { cookie }, auth: false })).status).toBe(200);
    expect((await call(listEndpointsRoute as never, "GET", "/api/endpoints", { headers: bearer(other.json.token), auth: false })).status).toBe(401);
  });

  it("the admin token's personal tokens act as the owner within their scopes", async () => {
    const made = await call(createTokenRoute as never, "POST", "/api/tokens", { body: JSON.stringify({ name: "owner script", scopes: ["admin", "read"] }), headers: json });
    expect(made.status).toBe(201);
    expect((await call(listUsersRoute as never, "GET", "/api/users", { headers: bearer(made.json.token), auth: false })).status).toBe(200);
  });

  it("sessions: a member lists and ends their own; the owner sees everyone's; an ended session stops on another instance", async () => {
    const mine = await cookieFor("usr_viewer");
    const theirs = await cookieFor("usr_admin");
    const listed = await call(listSessionsRoute as never, "GET", "/api/sessions", { headers: { cookie: mine }, auth: false });
    const sessions = listed.json.sessions as { id: string; userId: string; current: boolean }[];
    expect(sessions.every((s) => s.userId === "usr_viewer")).toBe(true);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const all = await call(listSessionsRoute as never, "GET", "/api/sessions");
    expect(new Set(all.json.sessions.map((s: { userId: string }) => s.userId))).toEqual(new Set(["usr_viewer", "usr_admin"]));

    const theirId = all.json.sessions.find((s: { userId: string }) => s.userId === "usr_admin").id;
    expect((await call(deleteSessionRoute as never, "DELETE", `/api/sessions/${theirId}`, { params: { id: theirId }, headers: { cookie: mine }, auth: false })).status).toBe(404);

    // A second instance: its own connection pool on the same database.
    const second: Db | null = t.databaseUrl ? openDb({ databaseUrl: t.databaseUrl, poolSize: 2 }) : null;
    try {
      const onSecond = async () => {
        if (second) setDb(second);
        try {
          return (await call(listEndpointsRoute as never, "GET", "/api/endpoints", { headers: { cookie: theirs }, auth: false })).status;
        } finally {
          setDb(t.db);
        }
      };
      expect(await onSecond()).toBe(200);
      const ended = await call(deleteSessionRoute as never, "DELETE", `/api/sessions/${theirId}`, { params: { id: theirId } });
      expect(ended.status).toBe(200);
      expect(await onSecond()).toBe(401);
    } finally {
      await second?.close();
    }
  });
});
