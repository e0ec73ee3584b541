/**
 * The issue-14 probes, run as an attacker would, against the built app as `npm start` serves it
 * (embedded PGlite in a DATA_DIR made world-readable beforehand). The reverse proxy is played by
 * connections from 127.0.0.2 (TRUSTED_PROXIES), other clients by 127.0.0.1 and 127.0.0.3.
 */
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FREE_FAILURES } from "@/lib/auth/throttle";
import { openDb, pgliteDirFor } from "@/lib/db/client";
import { adminFetch, type AppServer } from "../helpers/app-server";
import { startProbedApp, type ProbedApp } from "./lib/app";
import { readFixture } from "../helpers/fixtures";
import { sleep } from "../helpers/app-server";
import { idibuDelivery, probe, stallUpload, type ProbeResponse } from "./lib/http";

const PROXY = "127.0.0.2";
let target: ProbedApp;
let app: AppServer;
let dataDir = "";
let endpointId = "";

beforeAll(async () => {
  target = await startProbedApp({
    name: "security-probes",
    env: { TRUSTED_PROXIES: `${PROXY}/32, ::ffff:${PROXY}` },
    // An existing DATA_DIR with the permissions a careless set-up leaves.
    prepare: (dir) => {
      chmodSync(dir, 0o755);
      mkdirSync(path.join(dir, "old"), { mode: 0o755 });
      writeFileSync(path.join(dir, "old", "notes.txt"), "left by an older version\n", { mode: 0o644 });
      chmodSync(path.join(dir, "old", "notes.txt"), 0o644);
    },
  });
  ({ app, dataDir, endpointId } = target);
}, 120_000);

afterAll(() => target?.stop(), 60_000);

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const login = (token: string, init: { from?: string; headers?: Record<string, string> } = {}) =>
  probe(app.url, "/api/auth/login", {
    method: "POST",
    from: init.from,
    headers: { "content-type": "application/json", origin: app.url, ...(init.headers ?? {}) },
    body: JSON.stringify({ token }),
  });
const sessionOf = (response: ProbeResponse) => String(response.headers["set-cookie"] ?? "").split(";")[0];

describe("webhook route", () => {
  it("unknown, disabled and deleted endpoints are answered from the URL, 404/410 with the 1 MiB body never sent, and the connection closed", async () => {
    const create = async (name: string) => (await adminFetch(app, "/api/endpoints", { method: "POST", body: { provider: "idibu", name } })).json.id as string;
    const disabled = await create("probe disabled");
    expect((await adminFetch(app, `/api/endpoints/${disabled}`, { method: "PATCH", body: { enabled: false } })).status).toBe(200);
    const deleted = await create("probe deleted");
    expect((await adminFetch(app, `/api/endpoints/${deleted}`, { method: "DELETE" })).status).toBe(200);
    const cases = [
      ["/api/webhooks/ep_probe_unknown_0123456789", "HTTP/1.1 404 Not Found", "endpoint_not_found"],
      [`/api/webhooks/${disabled}`, "HTTP/1.1 410 Gone", "endpoint_disabled"],
      [`/api/webhooks/${deleted}`, "HTTP/1.1 410 Gone", "endpoint_deleted"],
    ] as const;
    // Each declares 1 MiB and sends none of it: an answer means the server did not wait for the body.
    const uploads = cases.map(([pathname]) => stallUpload(app.port, pathname, 1024 * 1024, 0));
    try {
      const deadline = performance.now() + 5_000;
      while (uploads.some((u) => u.closedAfterMs() === null) && performance.now() < deadline) await sleep(100);
      cases.forEach(([pathname, statusLine, error], i) => {
        expect(uploads[i].statusLine(), pathname).toBe(statusLine);
        expect(uploads[i].head(), pathname).toMatch(/\r\nconnection: close/i);
        expect(uploads[i].closedAfterMs(), pathname).not.toBeNull();
        expect(uploads[i].closedAfterMs()!, pathname).toBeLessThan(5_000);
        expect(uploads[i].response(), pathname).toContain(`"error":"${error}"`);
      });
      // The unknown URL's answer names it by its first characters only.
      const unknownAnswer = Buffer.from(uploads[0].response(), "latin1").toString("utf8");
      expect(unknownAnswer).toContain("/api/webhooks/ep_probe…");
      expect(unknownAnswer).not.toContain("ep_probe_unknown_0123456789");
    } finally {
      for (const u of uploads) u.destroy();
    }
  });
});

describe("throttling", () => {
  it("a new X-Forwarded-For per guess does not reset the throttle: a client that is not a trusted proxy is its socket address", async () => {
    const answers: number[] = [];
    for (let i = 0; i < FREE_FAILURES + 3; i++) {
      answers.push((await login("wrong-token-0000000000", { from: "127.0.0.4", headers: { "x-forwarded-for": `198.51.100.${i}` } })).status);
    }
    expect(answers.slice(0, FREE_FAILURES + 1)).toEqual(Array(FREE_FAILURES + 1).fill(401));
    expect(answers.slice(FREE_FAILURES + 1)).toEqual([429, 429]);
  });

  it("300 parallel guesses are serialized: a handful are looked at, the rest answered 429 with Retry-After", async () => {
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => login(`wrong-token-${i}-0000000000`, { from: PROXY, headers: { "x-forwarded-for": "203.0.113.77" } })),
    );
    const seconds = (performance.now() - started) / 1000;
    const counts = { 401: 0, 429: 0, other: 0 };
    for (const r of results) counts[r.status === 401 ? 401 : r.status === 429 ? 429 : "other"]++;
    expect(counts.other).toBe(0);
    // The free failures, then one per block: blocks of 1 s, 2 s, 4 s … allow k more in 2^k − 1 s.
    expect(counts[401]).toBeGreaterThanOrEqual(FREE_FAILURES + 1);
    expect(counts[401], `${seconds.toFixed(1)} s`).toBeLessThanOrEqual(FREE_FAILURES + 1 + Math.ceil(Math.log2(seconds + 1)));
    expect(results.filter((r) => r.status === 429).every((r) => Number(r.headers["retry-after"]) >= 1)).toBe(true);
  });

  it("Bearer guesses count on every route (API, pages) and share the login's budget", async () => {
    const client = { from: PROXY, headers: { "x-forwarded-for": "203.0.113.88" } };
    const statuses: number[] = [];
    for (const pathname of ["/api/stats", "/api/deliveries", "/api/candidates", "/api/endpoints"]) {
      statuses.push((await probe(app.url, pathname, { ...client, headers: { ...client.headers, ...bearer("guess-0000000000000000") } })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401].slice(0, FREE_FAILURES + 1).concat(Array(Math.max(0, 3 - FREE_FAILURES)).fill(429)));
    const page = await probe(app.url, "/settings", { ...client, headers: { ...client.headers, ...bearer("guess-0000000000000000") } });
    expect(page.status).toBe(429);
    expect(Number(page.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    // Blocked means blocked: even the right token waits, on the login form too.
    expect((await probe(app.url, "/api/stats", { ...client, headers: { ...client.headers, ...bearer(app.adminToken) } })).status).toBe(429);
    expect((await login(app.adminToken, client)).status).toBe(429);
  });

  it("a correct credential is never slowed by other clients' failures", async () => {
    // Block 203.0.113.99 now (the blocks above may have run out on a slow machine: the first is 1 s),
    // then the admin comes through the same proxy from elsewhere.
    const guesser = { from: PROXY, headers: { "x-forwarded-for": "203.0.113.99" } };
    let blocked = 0;
    for (let i = 0; i < FREE_FAILURES + 3 && blocked !== 429; i++) blocked = (await login(`wrong-token-99-${i}-0000000000`, guesser)).status;
    expect(blocked).toBe(429);
    const admin = { from: PROXY, headers: { "x-forwarded-for": "192.0.2.10, 203.0.113.99" } };
    const viaBearer = await probe(app.url, "/api/stats", { ...admin, headers: { ...admin.headers, ...bearer(app.adminToken) } });
    expect(viaBearer.status).toBe(429); // the last untrusted hop is the blocked .99: the proxy's own view wins
    const elsewhere = { from: PROXY, headers: { "x-forwarded-for": "192.0.2.10" } };
    const ok = await probe(app.url, "/api/stats", { ...elsewhere, headers: { ...elsewhere.headers, ...bearer(app.adminToken) } });
    expect(ok.status).toBe(200);
    expect(ok.ms).toBeLessThan(1_000);
    expect((await login(app.adminToken, elsewhere)).status).toBe(200);
    expect((await probe(app.url, "/api/stats", { from: "127.0.0.3", headers: bearer(app.adminToken) })).status).toBe(200);
  });
});

describe("sessions", () => {
  it("logout revokes the session at once, for the API and the pages", async () => {
    const session = sessionOf(await login(app.adminToken, { from: "127.0.0.5" }));
    expect(session).toMatch(/^ch_session=s2\./);
    expect((await probe(app.url, "/api/stats", { headers: { cookie: session } })).status).toBe(200);
    expect((await probe(app.url, "/settings", { headers: { cookie: session } })).status).toBe(200);
    const out = await probe(app.url, "/logout", { method: "POST", headers: { cookie: session, origin: app.url } });
    expect(out.status).toBe(303);
    expect((await probe(app.url, "/api/stats", { headers: { cookie: session } })).status).toBe(401);
    const page = await probe(app.url, "/settings", { headers: { cookie: session } });
    expect(page.status).toBe(307);
    expect(page.headers.location).toContain("/login");
  });

  it("sign out everywhere ends every session; DELETE /api/auth/sessions does the same for scripts", async () => {
    const a = sessionOf(await login(app.adminToken, { from: "127.0.0.5" }));
    const b = sessionOf(await login(app.adminToken, { from: "127.0.0.5" }));
    const everywhere = await probe(app.url, "/logout", {
      method: "POST",
      headers: { cookie: a, origin: app.url, "content-type": "application/x-www-form-urlencoded" },
      body: "everywhere=1",
    });
    expect(everywhere.status).toBe(303);
    for (const s of [a, b]) expect((await probe(app.url, "/api/stats", { headers: { cookie: s } })).status).toBe(401);

    const c = sessionOf(await login(app.adminToken, { from: "127.0.0.5" }));
    const revoked = await probe(app.url, "/api/auth/sessions", { method: "DELETE", from: "127.0.0.5", headers: bearer(app.adminToken) });
    expect(revoked.status).toBe(200);
    expect(revoked.json.revoked).toBeGreaterThanOrEqual(1);
    expect((await probe(app.url, "/api/stats", { headers: { cookie: c } })).status).toBe(401);
  });

  it("another site cannot sign everyone out", async () => {
    const s = sessionOf(await login(app.adminToken, { from: "127.0.0.5" }));
    const forged = await probe(app.url, "/logout", {
      method: "POST",
      headers: { cookie: s, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: "everywhere=1",
    });
    expect(forged.status).toBe(403);
    expect((await probe(app.url, "/api/stats", { headers: { cookie: s } })).status).toBe(200);
  });

  it("another site cannot sign anyone out either: a GET (a link, an image) or a cross-origin POST to /logout leaves the session alive", async () => {
    const s = sessionOf(await login(app.adminToken, { from: "127.0.0.5" }));
    const viaGet = await probe(app.url, "/logout", { headers: { cookie: s, "sec-fetch-site": "cross-site" } });
    expect(viaGet.status).toBe(405);
    expect(viaGet.headers.allow).toBe("POST");
    const forged = await probe(app.url, "/logout", { method: "POST", headers: { cookie: s, origin: "https://evil.example" } });
    expect(forged.status).toBe(403);
    expect((await probe(app.url, "/api/stats", { headers: { cookie: s } })).status).toBe(200);
  });
});

describe("security headers", () => {
  const common = (r: ProbeResponse) => {
    expect(r.headers["x-frame-options"]).toBe("DENY");
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect(r.headers["referrer-policy"]).toBe("same-origin");
    expect(r.headers["permissions-policy"]).toContain("camera=()");
    expect(r.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  };

  it("pages get a nonce CSP with no 'unsafe-inline' scripts, and every script tag carries the nonce", async () => {
    for (const pathname of ["/login", "/", "/settings", "/candidates", "/deliveries"]) {
      const r = await probe(app.url, pathname, { from: "127.0.0.6", headers: bearer(app.adminToken) });
      expect(r.status, pathname).toBe(200);
      common(r);
      const csp = String(r.headers["content-security-policy"]);
      const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src"))!;
      expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
      expect(scriptSrc).not.toContain("unsafe-inline");
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1];
      const scripts = r.text.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts.every((tag) => tag.includes(`nonce="${nonce}"`)), pathname).toBe(true);
    }
  });

  it("API answers, unknown API paths, webhook answers and static files carry the headers too", async () => {
    const answers = [
      await probe(app.url, "/api/health"),
      await probe(app.url, "/api/stats", { from: "127.0.0.6", headers: bearer(app.adminToken) }),
      await probe(app.url, "/api/no-such-route"),
      await probe(app.url, "/api/webhooks/ep_missing", { method: "POST", body: "{}" }),
      await probe(app.url, `/api/webhooks/${endpointId}`, { method: "POST", headers: { "content-type": "application/json" }, body: idibuDelivery("headers-1") }),
      await probe(app.url, "/favicon.svg"),
    ];
    for (const r of answers) common(r);
  });

  it("HSTS only over https: when the trusted proxy says so, never on a client's word", async () => {
    expect((await probe(app.url, "/api/health")).headers["strict-transport-security"]).toBeUndefined();
    expect((await probe(app.url, "/api/health", { headers: { "x-forwarded-proto": "https" } })).headers["strict-transport-security"]).toBeUndefined();
    const viaProxy = await probe(app.url, "/api/health", { from: PROXY, headers: { "x-forwarded-proto": "https" } });
    expect(viaProxy.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
  });
});

describe("smaller items", () => {
  it("no dashboard path is served without a session, whatever its extension", async () => {
    for (const pathname of ["/candidates/x.png", "/settings.svg", "/deliveries/a.ico", "/candidates/robots.txt", "/x.js", "/candidates/cand_1.json"]) {
      const r = await probe(app.url, pathname);
      expect(r.status, pathname).toBe(307);
      expect(r.headers.location, pathname).toContain("/login?next=");
    }
  });

  it("the webhook URLs the server hands out name this host: X-Forwarded-Host/Proto are believed from the trusted proxy only", async () => {
    const create = (from: string, headers: Record<string, string>) =>
      probe(app.url, "/api/endpoints", {
        method: "POST",
        from,
        headers: { ...bearer(app.adminToken), "content-type": "application/json", ...headers },
        body: JSON.stringify({ provider: "idibu", name: `origin-${from}` }),
      });
    const spoofed = await create("127.0.0.6", { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" });
    expect(spoofed.status).toBe(201);
    expect(spoofed.json.url).toMatch(new RegExp(`^${app.url}/api/webhooks/`));
    const proxied = await create(PROXY, { "x-forwarded-for": "192.0.2.44", "x-forwarded-host": "hooks.example.com", "x-forwarded-proto": "https" });
    expect(proxied.status).toBe(201);
    expect(proxied.json.url).toMatch(/^https:\/\/hooks\.example\.com\/api\/webhooks\//);
  });

  it("unknown /api/ paths answer JSON 404, whatever the method", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const r = await probe(app.url, "/api/definitely/not/here", { method });
      expect(r.status).toBe(404);
      expect(r.headers["content-type"]).toContain("application/json");
      expect(r.json.error).toBe("not_found");
    }
  });

  it("next= with CR/LF, another site or junk is never a 500 and never leaves the site", async () => {
    for (const next of ["/%0d%0aSet-Cookie:%20x=1", "//evil.example", "/\\evil.example", "https://evil.example/", "%E0%A4%A"]) {
      const page = await probe(app.url, `/login?next=${next}`);
      expect(page.status, next).toBe(200);
      const form = await probe(app.url, "/api/auth/login", {
        method: "POST",
        from: "127.0.0.7",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url },
        body: `token=${encodeURIComponent(app.adminToken)}&next=${next}`,
      });
      expect(form.status, next).toBe(303);
      expect(form.headers.location).toBe(`${app.url}/`);
    }
    const twice = await probe(app.url, "/login?next=/a&next=/b");
    expect(twice.status).toBe(200);
  });

  it("credential-like headers are redacted in the delivery API and left out of the CSV; the stored request keeps them", async () => {
    const secretHeaders = {
      "x-auth-token": "tok-1111",
      "x-access-token": "tok-2222",
      "x-webhook-secret": "sec-3333",
      "x-my-password": "pw-4444",
      "x-session-id": "ses-5555",
      "x-signature": "sig-6666",
    };
    const sent = await probe(app.url, `/api/webhooks/${endpointId}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-trace": "visible-7777", ...secretHeaders },
      body: idibuDelivery("redaction-1"),
    });
    expect(sent.status).toBe(200);
    const id = sent.json.deliveryId;
    const detail = await adminFetch(app, `/api/deliveries/${id}`);
    expect(detail.status).toBe(200);
    for (const name of Object.keys(secretHeaders)) expect(detail.json.headers[name]).toBe("[redacted]");
    expect(detail.json.headers["x-trace"]).toBe("visible-7777");
    const csv = await adminFetch(app, "/api/deliveries/export.csv");
    expect(csv.status).toBe(200);
    expect(csv.text).toContain("visible-7777");
    // A refused request's headers, in the refused-request log the Deliveries page lists.
    const refused = await probe(app.url, "/api/webhooks/ep_redaction_probe_unknown", { method: "POST", headers: { "content-type": "application/json", "x-trace": "visible-8888", ...secretHeaders }, body: "{}" });
    expect(refused.status).toBe(404);
    const rejected = await adminFetch(app, "/api/deliveries?status=rejected");
    expect(rejected.status).toBe(200);
    const logged = rejected.json.deliveries.find((d: { headers: Record<string, string> }) => d.headers["x-trace"] === "visible-8888");
    expect(logged, rejected.text.slice(0, 500)).toBeDefined();
    for (const name of Object.keys(secretHeaders)) expect(logged.headers[name]).toBe("[redacted]");
    for (const value of Object.values(secretHeaders)) {
      expect(detail.text).not.toContain(value);
      expect(csv.text).not.toContain(value);
      expect(rejected.text).not.toContain(value);
    }
    stored.push({ id, headers: secretHeaders });
  });
});

describe("bounded renders (the times in Chromium: e2e/bounded-renders.browser.spec.ts)", () => {
  const talview = (file: string) => JSON.parse(readFixture("talview", `fixtures/${file}`).toString("utf8"));
  const send = (endpoint: string, event: string, body: string) =>
    probe(app.url, `/api/webhooks/${endpoint}?event=${event}`, { method: "POST", headers: { "content-type": "application/json" }, body });

  it("an ~880 KB unsigned update changing 60,000 keys gives a candidate page under 2 MB of HTML; a 5,000-level body is stored and served as received", async () => {
    const endpoint = (await adminFetch(app, "/api/endpoints", { method: "POST", body: { provider: "talview", name: "probe renders" } })).json.id as string;
    const id = 960_001;
    expect((await send(endpoint, "can.candidate.created", JSON.stringify({ ...talview("candidate-created.json"), id }))).status).toBe(200);
    const cf = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`f${String(i).padStart(5, "0")}`, i]));
    const wide = JSON.stringify({ ...talview("candidate-updated.json"), id, cf });
    expect(wide.length).toBeGreaterThan(800_000);
    expect([200, 202]).toContain((await send(endpoint, "can.candidate.updated", wide)).status);
    const levels = 5_000;
    const deep = `{"id":960002,"first_name":"Deep","last_name":"Probe","cf":${Array.from({ length: levels }, (_, i) => `{"l${i}":`).join("")}"bottom"${"}".repeat(levels)}}`;
    const deepSent = await send(endpoint, "can.candidate.created", deep);
    expect([200, 202]).toContain(deepSent.status);

    const candidate = async (externalId: number, events: number) => {
      for (let tries = 0; tries < 120; tries++) {
        const list = await adminFetch(app, `/api/candidates?provider=talview&q=${externalId}`);
        const found = list.json.candidates.find((c: { externalId: string; eventCount: number }) => c.externalId === String(externalId) && c.eventCount === events);
        if (found) return found.id as string;
        await sleep(500);
      }
      throw new Error(`candidate ${externalId} with ${events} events never appeared`);
    };
    const wideId = await candidate(id, 2);
    const page = await probe(app.url, `/candidates/${wideId}`, { from: "127.0.0.6", headers: bearer(app.adminToken) });
    expect(page.status).toBe(200);
    expect(page.text.includes("Showing the first 100 of 60,001 changes."), "the page says how many changes there are").toBe(true);
    // The 5,000-level body: stored as received (its panel, drawn in the browser, caps the depth).
    const deepDelivery = await probe(app.url, `/api/deliveries/${deepSent.json.deliveryId}`, { from: "127.0.0.6", headers: bearer(app.adminToken) });
    expect(deepDelivery.status).toBe(200);
    expect(deepDelivery.json.body.text).toBe(deep);
    console.log(
      `bounded renders: 60,000-key candidate page ${Buffer.byteLength(page.text)} bytes of HTML in ${Math.round(page.ms)} ms; 5,000-level delivery (${deepSent.json.status}) ${Buffer.byteLength(deepDelivery.text)} bytes of JSON in ${Math.round(deepDelivery.ms)} ms`,
    );
    expect(Buffer.byteLength(page.text)).toBeLessThan(2 * 1024 * 1024);
  }, 120_000);
});

const stored: { id: string; headers: Record<string, string> }[] = [];

describe("files (last: stops the server to read its database)", () => {
  it("DATA_DIR and everything in it, PGlite's files included, is readable by its owner only", async () => {
    const loose: string[] = [];
    const walk = (target: string) => {
      const stat = statSync(target);
      if ((stat.mode & 0o077) !== 0) loose.push(`${path.relative(dataDir, target) || "."} ${(stat.mode & 0o777).toString(8)}`);
      if (stat.isDirectory()) for (const entry of readdirSync(target)) walk(path.join(target, entry));
    };
    walk(dataDir);
    expect(readdirSync(pgliteDirFor(dataDir)).length).toBeGreaterThan(0);
    expect(loose).toEqual([]);
  });

  it("the stored raw request still holds the credential headers", async () => {
    expect(stored).toHaveLength(1);
    await app.kill();
    const db = openDb({ pgliteDir: pgliteDirFor(dataDir) });
    try {
      const [row] = await db.sql.query<{ headers: Record<string, string> }>({ text: "SELECT headers FROM deliveries WHERE id = $1", params: [stored[0].id] });
      for (const [name, value] of Object.entries(stored[0].headers)) expect(row.headers[name]).toBe(value);
    } finally {
      await db.close();
    }
  });
});
