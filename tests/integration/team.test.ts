import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as acceptInviteRoute } from "@/app/api/auth/accept-invite/route";
import { POST as loginRoute } from "@/app/api/auth/login/route";
import { GET as listUsersRoute, POST as createUserRoute } from "@/app/api/users/route";
import { DELETE as deleteUserRoute, PATCH as patchUserRoute } from "@/app/api/users/[id]/route";
import { POST as reinviteRoute } from "@/app/api/users/[id]/invite/route";
import { GET as listEndpointsRoute, POST as createEndpointRoute } from "@/app/api/endpoints/route";
import { FREE_FAILURES } from "@/lib/auth/throttle";
import { setDb } from "@/lib/db/client";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { call } from "../helpers/api";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

const kinds: DbKind[] = ["pglite", "postgres"];
const json = { "content-type": "application/json" };
const STRONG = "violet-harbour-7-lanterns";

describe.each(kinds)("team: invitations, passwords and roles on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  const invite = (body: unknown) => call(createUserRoute as never, "POST", "/api/users", { body: JSON.stringify(body), headers: json });
  const accept = (body: unknown, address = "198.51.100.1") =>
    call(acceptInviteRoute as never, "POST", "/api/auth/accept-invite", { body: JSON.stringify(body), headers: { ...json, [CLIENT_ADDRESS_HEADER]: address }, auth: false });
  const login = (body: unknown, address = "198.51.100.2") =>
    call(loginRoute as never, "POST", "/api/auth/login", { body: JSON.stringify(body), headers: { ...json, [CLIENT_ADDRESS_HEADER]: address }, auth: false });
  const cookieOf = (answer: { headers: Headers }) => answer.headers.get("set-cookie")!.split(";")[0]!;

  it("invite → accept with a password → sign in with email and password → browse with the role", async () => {
    const created = await invite({ email: "Rita@Example.test", name: "Rita Recruiter", role: "viewer" });
    expect(created.status).toBe(201);
    expect(created.json.inviteUrl).toBe(`http://dashboard.test/invite?token=${created.json.inviteToken}`);

    // The hash, not the token, is stored.
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: created.json.id } });
    expect(row.email).toBe("rita@example.test");
    expect(JSON.stringify(row)).not.toContain(created.json.inviteToken);

    expect((await accept({ token: created.json.inviteToken, password: "short" })).json).toMatchObject({ error: "weak_password" });
    expect((await accept({ token: created.json.inviteToken, password: "password1234" })).json.message).toMatch(/common breached/);
    const accepted = await accept({ token: created.json.inviteToken, password: STRONG });
    expect(accepted.status).toBe(200);
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: created.json.id } })).passwordHash).toMatch(/^\$argon2id\$/);
    // An invitation works once.
    expect((await accept({ token: created.json.inviteToken, password: STRONG })).status).toBe(404);

    expect((await login({ email: "rita@example.test", password: "wrong-password-123" })).status).toBe(401);
    const signedIn = await login({ email: "RITA@example.test", password: STRONG });
    expect(signedIn.status).toBe(200);
    const cookie = cookieOf(signedIn);
    const browse = await call(listEndpointsRoute as never, "GET", "/api/endpoints", { headers: { cookie }, auth: false });
    expect(browse.status).toBe(200);
    const write = await call(createEndpointRoute as never, "POST", "/api/endpoints", { body: JSON.stringify({ provider: "greenhouse", name: "x" }), headers: { cookie, ...json }, auth: false });
    expect(write.status).toBe(403);
    expect(write.json.message).toMatch(/admin or owner role/);

    // Promoted: the same session can write at once; removed: the session ends at once.
    expect((await call(patchUserRoute as never, "PATCH", `/api/users/${created.json.id}`, { params: { id: created.json.id }, body: JSON.stringify({ role: "admin" }), headers: json })).status).toBe(200);
    const again = await call(createEndpointRoute as never, "POST", "/api/endpoints", { body: JSON.stringify({ provider: "greenhouse", name: "by rita" }), headers: { cookie, ...json }, auth: false });
    expect(again.status).toBe(201);
    const users = await call(listUsersRoute as never, "GET", "/api/users");
    expect(users.json.users.find((u: { id: string }) => u.id === created.json.id)).toMatchObject({ role: "admin", status: "active" });
    expect(users.json.users[0].lastSignInAt).not.toBeNull();
    expect(JSON.stringify(users.json)).not.toMatch(/argon2|passwordHash|inviteTokenHash/);

    expect((await call(deleteUserRoute as never, "DELETE", `/api/users/${created.json.id}`, { params: { id: created.json.id } })).json).toMatchObject({ sessionsEnded: 2 });
    expect((await call(listEndpointsRoute as never, "GET", "/api/endpoints", { headers: { cookie }, auth: false })).status).toBe(401);
  });

  it("a second invitation for a member is refused; re-invite replaces the link", async () => {
    const first = await invite({ email: "ops@example.test", name: "Ops", role: "admin", canExport: true });
    expect((await invite({ email: "ops@example.test", name: "Ops", role: "admin" })).status).toBe(409);
    const again = await call(reinviteRoute as never, "POST", `/api/users/${first.json.id}/invite`, { params: { id: first.json.id } });
    expect(again.status).toBe(200);
    expect((await accept({ token: first.json.inviteToken, password: STRONG }, "198.51.100.3")).status).toBe(404);
    expect((await accept({ token: again.json.inviteToken, password: STRONG }, "198.51.100.3")).status).toBe(200);
  });

  it("wrong passwords are throttled per client like wrong admin tokens", async () => {
    const address = "203.0.113.77";
    for (let i = 0; i < FREE_FAILURES; i++) expect((await login({ email: "nobody@example.test", password: "wrong-password-123" }, address)).status).toBe(401);
    expect((await login({ email: "nobody@example.test", password: "wrong-password-123" }, address)).status).toBe(401);
    const blocked = await login({ email: "nobody@example.test", password: "wrong-password-123" }, address);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("the admin token still signs in as the owner", async () => {
    const answer = await login({ token: process.env.ADMIN_TOKEN });
    expect(answer.status).toBe(200);
    const users = await call(listUsersRoute as never, "GET", "/api/users", { headers: { cookie: cookieOf(answer) }, auth: false });
    expect(users.status).toBe(200);
  });
});
