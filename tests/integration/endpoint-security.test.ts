import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as loginRoute } from "@/app/api/auth/login/route";
import { POST as rotateRoute } from "@/app/api/endpoints/[id]/rotate-secret/route";
import { GET as listEndpointsRoute } from "@/app/api/endpoints/route";
import { POST as reprocessRoute } from "@/app/api/deliveries/[id]/reprocess/route";
import { endpointListSchema, rotatedSecretSchema } from "@/lib/contracts/responses";
import { setDb } from "@/lib/db/client";
import { INGEST_ENDPOINT_TTL_MS } from "@/lib/db/endpoints";
import { FREE_FAILURES } from "@/lib/auth/throttle";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { BASE, call, routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

const kinds: DbKind[] = ["pglite", "postgres"];

describe.each(kinds)("endpoint secrets and browser sessions on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  const rotate = (id: string, body: unknown) =>
    call(rotateRoute as never, "POST", `/api/endpoints/${id}/rotate-secret`, { params: { id }, body: JSON.stringify(body) });

  it("stores secrets encrypted: the plaintext is nowhere in the database", async () => {
    const created = await routes.createEndpoint({ provider: "greenhouse", name: "at rest" });
    const row = await t.db.prisma.endpoint.findUnique({ where: { id: created.json.id }, select: { secret: true, secretHint: true } });
    expect(row!.secret).toMatch(/^enc:v1:/);
    expect(row!.secret).not.toContain(created.json.secret);
    expect(row!.secretHint).toBe(`…${created.json.secret.slice(-4)}`);
    const listed = endpointListSchema.parse((await routes.listEndpoints()).json);
    expect(JSON.stringify(listed)).not.toContain(created.json.secret);
  });

  it("rotation: both secrets verify during the overlap; after it only the new one", async () => {
    const created = await routes.createEndpoint({ provider: "outhire", name: "rotating" });
    const id = created.json.id;
    const oldSecret = created.json.secret as string;
    const body = readFixture("outhire", "fixtures/candidate-applied.json");
    const sendWith = (secret: string) => sendWebhook(id, body, { sign: { provider: "outhire", secret } });

    const rotated = await rotate(id, { overlapHours: 2 });
    expect(rotated.status).toBe(200);
    const { secret: newSecret, previousValidUntil } = rotatedSecretSchema.parse(rotated.json);
    expect(newSecret).not.toBe(oldSecret);
    expect(Date.parse(previousValidUntil) - Date.now()).toBeGreaterThan(2 * 3600_000 - 60_000);

    expect((await sendWith(oldSecret)).status).toBe(200);
    expect((await sendWith(newSecret)).status).toBe(200);

    // The overlap ends: move its end into the past, as time would.
    await t.db.prisma.endpoint.update({ where: { id }, data: { previousValidUntil: new Date(Date.now() - 1000) } });
    // Written behind the app's back (as another instance would): ingest sees it once its endpoint cache expires.
    await new Promise((resolve) => setTimeout(resolve, INGEST_ENDPOINT_TTL_MS + 50));
    const late = await sendWith(oldSecret);
    expect(late.status).toBe(401);
    expect((await sendWith(newSecret)).status).toBe(200);

    const view = endpointListSchema.parse((await routes.listEndpoints()).json).endpoints.find((e) => e.id === id)!;
    expect(view.previousValidUntil).toBeNull();
    expect(view.activity.last24h.processed).toBe(3);
    expect(view.activity.last24h.rejected).toBe(1);
    expect(view.activity.lastDeliveryStatus).toBe("processed");
  });

  it("rotation with overlapHours 0 retires the old secret at once; unsigned providers cannot rotate", async () => {
    const created = await routes.createEndpoint({ provider: "greenhouse", name: "instant" });
    const rotated = await rotate(created.json.id, { overlapHours: 0 });
    const body = readFixture("greenhouse", "fixtures/update-candidate.json");
    expect((await sendWebhook(created.json.id, body, { sign: { provider: "greenhouse", secret: created.json.secret } })).status).toBe(401);
    expect((await sendWebhook(created.json.id, body, { sign: { provider: "greenhouse", secret: rotated.json.secret } })).status).toBe(200);
    const talview = await routes.createEndpoint({ provider: "talview", name: "no secret" });
    expect((await rotate(talview.json.id, {})).status).toBe(400);
    expect((await rotate("ep_missing", {})).status).toBe(404);
    expect((await rotate(created.json.id, { overlapHours: -1 })).status).toBe(400);
  });

  describe("login", () => {
    const login = (body: string, headers: Record<string, string>) =>
      call(loginRoute as never, "POST", "/api/auth/login", { body, headers, auth: false });

    it("a right token sets an httpOnly SameSite=Lax session cookie that the API accepts", async () => {
      const res = await login(new URLSearchParams({ token: process.env.ADMIN_TOKEN!, next: "/candidates" }).toString(), {
        "content-type": "application/x-www-form-urlencoded",
        origin: BASE,
      });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`${BASE}/candidates`);
      const cookie = res.headers.get("set-cookie")!;
      expect(cookie).toMatch(/^ch_session=s2\.[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
      const session = cookie.split(";")[0];
      const listed = await call(listEndpointsRoute as never, "GET", "/api/endpoints", { auth: false, headers: { cookie: session } });
      expect(listed.status).toBe(200);
    });

    it("wrong tokens are refused; past the free ones, the client's next attempt is answered 429 with Retry-After", async () => {
      const headers = { "content-type": "application/json", origin: BASE, [CLIENT_ADDRESS_HEADER]: "203.0.113.9" };
      for (let i = 0; i <= FREE_FAILURES; i++) expect((await login(JSON.stringify({ token: "wrong-token-000000" }), headers)).status).toBe(401);
      const blocked = await login(JSON.stringify({ token: process.env.ADMIN_TOKEN }), headers);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      const elsewhere = await login(JSON.stringify({ token: process.env.ADMIN_TOKEN }), { ...headers, [CLIENT_ADDRESS_HEADER]: "203.0.113.10" });
      expect(elsewhere.status).toBe(200);
    });

    it("an open redirect through `next` is not possible", async () => {
      const res = await login(new URLSearchParams({ token: process.env.ADMIN_TOKEN!, next: "//evil.example/x" }).toString(), {
        "content-type": "application/x-www-form-urlencoded",
        origin: BASE,
      });
      expect(res.headers.get("location")).toBe(`${BASE}/`);
    });

    it("a cookie-authenticated mutation from another origin is refused; a login from another origin too", async () => {
      const ok = await login(JSON.stringify({ token: process.env.ADMIN_TOKEN }), { "content-type": "application/json", origin: BASE });
      const session = ok.headers.get("set-cookie")!.split(";")[0];
      const crossSite = await call(reprocessRoute as never, "POST", "/api/deliveries/dlv_x/reprocess", {
        params: { id: "dlv_x" },
        auth: false,
        headers: { cookie: session, origin: "https://evil.example" },
      });
      expect(crossSite.status).toBe(403);
      expect(crossSite.json.error).toBe("cross_site_request");
      const sameSite = await call(reprocessRoute as never, "POST", "/api/deliveries/dlv_x/reprocess", {
        params: { id: "dlv_x" },
        auth: false,
        headers: { cookie: session, origin: BASE },
      });
      expect(sameSite.status).toBe(404);
      const foreignLogin = await login(JSON.stringify({ token: process.env.ADMIN_TOKEN }), { "content-type": "application/json", origin: "https://evil.example" });
      expect(foreignLogin.status).toBe(403);
    });

    it("a forged or expired cookie is refused with 401 JSON", async () => {
      const res = await call(listEndpointsRoute as never, "GET", "/api/endpoints", { auth: false, headers: { cookie: "ch_session=v1.99999999999.AAAA" } });
      expect(res.status).toBe(401);
      expect(res.json.error).toBe("unauthorized");
    });
  });
});
