/**
 * Scale-out: two instances of the built app on one PostgreSQL database behind a round-robin nginx
 * on loopback (both with the same ADMIN_TOKEN and SECRET_KEY from the environment).
 *
 * Proves: a session cookie issued by instance A is accepted by instance B, and a session revoked on
 * B (logout, DELETE /api/sessions/{id}) is refused by A at once; endpoints created through
 * one instance verify signatures on the other (SECRET_KEY shared); each delivery and its redelivery
 * sent at the same moment through nginx (so usually to different instances), for many candidates at
 * once, give exactly one stored original and one `duplicate` answer per pair, no duplicate events,
 * and a later full re-send is answered `duplicate` every time; and each candidate's timeline equals
 * the one a single instance on a second database builds from the same deliveries sent one by one
 * (in the order the shared database received them).
 *
 * nginx: /usr/sbin/nginx, installed with apt-get in beforeAll when missing and running as root.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { adminFetch, createEndpoints, freePort, requireBuild, sleep, startApp, type AppServer } from "../helpers/app-server";
import { allProviders, is2xx, normalizeTimeline, planDeliveries, sendOne, type PlannedDelivery, type SendResult } from "./lib/deliveries";

const NGINX = "/usr/sbin/nginx";
let shared: TestDb | null = null;
let single: TestDb | null = null;
const apps: AppServer[] = [];
let nginx: ChildProcess | null = null;
let dir = "";

function ensureNginx(): void {
  if (existsSync(NGINX)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`${NGINX} is missing and this test is not running as root; install nginx (apt-get install -y nginx) and run again`);
  }
  const apt = (args: string[]) =>
    execFileSync("apt-get", args, { stdio: "pipe", timeout: 240_000, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  try {
    apt(["install", "-y", "--no-install-recommends", "nginx"]);
  } catch {
    apt(["update", "-qq"]);
    apt(["install", "-y", "--no-install-recommends", "nginx"]);
  }
  // The package starts a system nginx on :80 where systemd is absent; this test never uses it.
  if (!existsSync(NGINX)) throw new Error("apt-get install nginx did not provide /usr/sbin/nginx");
}

async function startNginx(ports: number[]): Promise<string> {
  const port = await freePort();
  for (const sub of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(path.join(dir, sub), { recursive: true });
  const conf = path.join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 2m;
  upstream app {
    ${ports.map((p) => `server 127.0.0.1:${p};`).join("\n    ")}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_next_upstream off;
      proxy_read_timeout 60s;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`,
  );
  nginx = spawn(NGINX, ["-e", `${dir}/error.log`, "-p", dir, "-c", conf], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (nginx.exitCode !== null) break;
    try {
      const r = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      await r.text();
      if (r.status === 200) return url;
    } catch {
      // not yet
    }
    await sleep(100);
  }
  const log = existsSync(`${dir}/error.log`) ? readFileSync(`${dir}/error.log`, "utf8") : "";
  throw new Error(`nginx did not come up on ${url}: ${log.slice(-2000)}`);
}

beforeAll(async () => {
  requireBuild();
  ensureNginx();
  dir = mkdtempSync(path.join(tmpdir(), "fault-scale-"));
  [shared, single] = await Promise.all([createTestDb("postgres"), createTestDb("postgres")]);
}, 300_000);

afterAll(async () => {
  if (nginx?.pid && nginx.exitCode === null) {
    try {
      process.kill(-nginx.pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  await Promise.all(apps.map((a) => a.kill()));
  await shared?.drop();
  await single?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Every page of a candidate's timeline. */
async function fullTimeline(server: Pick<AppServer, "url" | "adminToken">, id: string) {
  const events: unknown[] = [];
  let candidate: unknown = null;
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const r = await adminFetch(server, `/api/candidates/${id}/timeline?limit=100&noise=true${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (r.status !== 200) throw new Error(`timeline ${id}: ${r.status} ${r.text.slice(0, 300)}`);
    candidate ??= r.json.candidate;
    events.push(...r.json.events);
    cursor = r.json.nextCursor;
    if (!cursor) break;
  }
  return { candidate, events };
}

async function candidatesByKey(server: Pick<AppServer, "url" | "adminToken">): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const r = await adminFetch(server, `/api/candidates?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (r.status !== 200) throw new Error(`candidates: ${r.status} ${r.text.slice(0, 300)}`);
    for (const c of r.json.candidates) map.set(`${c.provider}:${c.externalId}`, c.id);
    cursor = r.json.nextCursor;
    if (!cursor) break;
  }
  return map;
}

/** Timestamps of this run (received times, and occurred times that fall back to them) → a placeholder. */
function normalize(value: unknown, runStart: number): unknown {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string" && /^\d{4}-\d\d-\d\dT/.test(v) && Date.parse(v) >= runStart) return "<during the run>";
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([k]) => k !== "candidateId" && k !== "durationMs").map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(normalizeTimeline(value));
}

describe("two instances behind round-robin nginx on one PostgreSQL database", () => {
  it("share sessions and secrets, deduplicate concurrent redeliveries, and build the same timelines as one instance", { timeout: 180_000 }, async () => {
    const runStart = Date.now() - 60_000;
    const [a, b, solo] = await Promise.all([
      startApp({ databaseUrl: shared!.databaseUrl!, dataDir: path.join(dir, "a") }),
      startApp({ databaseUrl: shared!.databaseUrl!, dataDir: path.join(dir, "b") }),
      startApp({ databaseUrl: single!.databaseUrl!, dataDir: path.join(dir, "solo") }),
    ]);
    apps.push(a, b, solo);
    const lb = await startNginx([a.port, b.port]);
    const viaLb = { url: lb, adminToken: a.adminToken };

    // ---- a session cookie from A works on B ----
    const login = await fetch(`${a.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: a.adminToken }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
    expect(cookie).toMatch(/^ch_session=s2\./);
    const onB = await fetch(`${b.url}/api/endpoints`, { headers: { cookie } });
    expect(onB.status, await onB.clone().text()).toBe(200);
    const withoutCookie = await fetch(`${b.url}/api/endpoints`);
    expect(withoutCookie.status).toBe(401);
    // Logging out on A ends the session on B at once (sessions are rows in the shared database).
    const logout = await fetch(`${a.url}/logout`, { method: "POST", headers: { cookie, origin: a.url }, redirect: "manual" });
    expect(logout.status).toBe(303);
    const afterLogout = await fetch(`${b.url}/api/endpoints`, { headers: { cookie } });
    expect(afterLogout.status).toBe(401);
    // DELETE /api/sessions/{id} on B revokes a session A issued, at once, on A as well.
    const signIn = async () => {
      const r = await fetch(`${a.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: a.adminToken }) });
      expect(r.status).toBe(200);
      return (r.headers.get("set-cookie") ?? "").split(";")[0];
    };
    const [laptop, phone] = [await signIn(), await signIn()];
    expect((await fetch(`${a.url}/api/endpoints`, { headers: { cookie: laptop } })).status).toBe(200);
    const listed = (await (await fetch(`${b.url}/api/sessions`, { headers: { cookie: phone } })).json()) as { sessions: { id: string; current: boolean }[] };
    const others = listed.sessions.filter((s) => !s.current);
    expect(others.length).toBeGreaterThanOrEqual(1);
    for (const other of others) {
      const revoked = await fetch(`${b.url}/api/sessions/${other.id}`, { method: "DELETE", headers: { cookie: phone, origin: b.url } });
      expect(revoked.status, await revoked.clone().text()).toBeLessThan(300);
    }
    expect((await fetch(`${a.url}/api/endpoints`, { headers: { cookie: laptop } })).status).toBe(401);
    expect((await fetch(`${a.url}/api/endpoints`, { headers: { cookie: phone } })).status).toBe(200);

    // ---- round robin really alternates between the two instances ----
    const upstreams = new Map<string, number>();
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${lb}/api/health`);
      await r.text();
      const u = r.headers.get("x-upstream") ?? "?";
      upstreams.set(u, (upstreams.get(u) ?? 0) + 1);
    }
    expect([...upstreams.keys()].sort()).toEqual([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`].sort());

    const endpoints = await createEndpoints(viaLb, allProviders);
    const soloEndpoints = await createEndpoints(solo, allProviders);
    const { planned } = planDeliveries(endpoints, { candidatesPerProvider: 6, seed: "scale" });
    const soloPlanned: PlannedDelivery[] = planned.map((p) => ({ ...p, endpointId: soloEndpoints[p.provider].id, secret: soloEndpoints[p.provider].secret }));

    // ---- through nginx: candidates in parallel; each delivery and its redelivery at the same moment ----
    const byCandidate = new Map<string, PlannedDelivery[]>();
    for (const p of planned) byCandidate.set(`${p.provider}:${p.candidateExternalId}`, [...(byCandidate.get(`${p.provider}:${p.candidateExternalId}`) ?? []), p]);
    const pairs: [SendResult, SendResult][] = [];
    await Promise.all(
      [...byCandidate.values()].map(async (list) => {
        for (const p of list) pairs.push((await Promise.all([sendOne(lb, p), sendOne(lb, p)])) as [SendResult, SendResult]);
      }),
    );
    const failed = pairs.flat().filter((r) => !is2xx(r.httpStatus));
    expect(failed.map((r) => `${r.planned.deliveryId}: ${r.httpStatus} ${r.error ?? JSON.stringify(r.body).slice(0, 200)}`)).toEqual([]);
    const badPairs = pairs.filter(([x, y]) => [x.status, y.status].filter((s) => s === "duplicate").length !== 1 || ![x.status, y.status].includes("processed"));
    expect(badPairs.map(([x, y]) => `${x.planned.deliveryId}: ${x.status} + ${y.status}`)).toEqual([]);
    const rows = await shared!.db.prisma.delivery.findMany({ select: { id: true, status: true, endpointId: true, idempotencyKey: true, _count: { select: { events: true } } } });
    expect(rows.length).toBe(planned.length * 2);

    // ---- a full re-send later: every one a duplicate ----
    const resend: SendResult[] = [];
    for (let i = 0; i < planned.length; i += 16) resend.push(...(await Promise.all(planned.slice(i, i + 16).map((p) => sendOne(lb, p)))));
    expect(resend.filter((r) => r.status !== "duplicate").map((r) => `${r.planned.deliveryId}: ${r.httpStatus} ${r.status}`)).toEqual([]);

    // ---- no duplicate events ----
    const all = await shared!.db.prisma.delivery.findMany({ select: { status: true, endpointId: true, idempotencyKey: true, _count: { select: { events: true } } } });
    const originals = all.filter((r) => r.status !== "duplicate");
    expect(originals.length).toBe(planned.length);
    expect(new Set(originals.map((r) => `${r.endpointId} ${r.idempotencyKey}`)).size).toBe(planned.length);
    expect(all.filter((r) => r.status === "duplicate" && r._count.events > 0)).toEqual([]);
    const sharedEvents = await shared!.db.prisma.event.count();

    // ---- the same deliveries, one by one, to a single instance on a second database ----
    // In the order the shared database received them: events without a clock of their own (Greenhouse
    // update/delete/merge, Talview deletions) are ordered by received time, and a merged candidate's
    // events interleave with the survivor's, so arrival order across candidates is part of the input.
    const arrival = await shared!.db.prisma.delivery.findMany({
      where: { status: { not: "duplicate" } },
      orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
      select: { endpointId: true, idempotencyKey: true },
    });
    const soloByKey = new Map(planned.map((p, i) => [`${p.endpointId} ${p.idempotencyKey}`, soloPlanned[i]]));
    const inArrivalOrder = arrival.map((r) => soloByKey.get(`${r.endpointId} ${r.idempotencyKey}`)!);
    expect(inArrivalOrder.filter(Boolean).length).toBe(planned.length);
    for (const p of inArrivalOrder) {
      const r = await sendOne(solo.url, p);
      expect([r.httpStatus, r.status], `${p.deliveryId}: ${JSON.stringify(r.body)}`).toEqual([200, "processed"]);
    }
    expect(await single!.db.prisma.event.count()).toBe(sharedEvents);

    // ---- identical timelines ----
    const [sharedIds, soloIds] = await Promise.all([candidatesByKey(viaLb), candidatesByKey(solo)]);
    expect([...sharedIds.keys()].sort()).toEqual([...soloIds.keys()].sort());
    expect(sharedIds.size).toBeGreaterThanOrEqual(byCandidate.size);
    let compared = 0;
    for (const [key, id] of sharedIds) {
      const [x, y] = await Promise.all([fullTimeline(viaLb, id), fullTimeline(solo, soloIds.get(key)!)]);
      expect(normalize(x, runStart), `timeline of ${key}`).toEqual(normalize(y, runStart));
      compared++;
    }
    console.log(
      `[scale-out] ${planned.length} deliveries × 2 at once through nginx (${pairs.length} pairs, all one processed + one duplicate), ` +
        `${resend.length} re-sent later (all duplicate), ${sharedEvents} events on both databases, ${compared} timelines identical`,
    );
  });
});
