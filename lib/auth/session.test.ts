import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type DbKind, type TestDb } from "@/tests/helpers/test-db";
import { createSession, readCookie, revokeAllSessions, revokeSession, sessionCookieHeader, verifySession } from "./session";
import { blockAfterFailure, checkCredential, FREE_FAILURES } from "./throttle";

describe("session cookie", () => {
  it("is httpOnly, SameSite=Lax, with an expiry, and Secure only over https", () => {
    const plain = sessionCookieHeader("v", false);
    expect(plain).toMatch(/HttpOnly/);
    expect(plain).toMatch(/SameSite=Lax/);
    expect(plain).toMatch(/Max-Age=\d+/);
    expect(plain).not.toMatch(/Secure/);
    expect(sessionCookieHeader("v", true)).toMatch(/; Secure$/);
  });

  it("reads one cookie among several", () => {
    expect(readCookie("a=1; ch_session=s2.x; b=3", "ch_session")).toBe("s2.x");
    expect(readCookie(null, "ch_session")).toBeNull();
  });
});

describe("throttle schedule", () => {
  it("lets a few typos through, then doubles the block up to 15 minutes", () => {
    for (let n = 1; n <= FREE_FAILURES; n++) expect(blockAfterFailure(n)).toBe(0);
    expect(blockAfterFailure(FREE_FAILURES + 1)).toBe(1000);
    expect(blockAfterFailure(FREE_FAILURES + 2)).toBe(2000);
    expect(blockAfterFailure(FREE_FAILURES + 30)).toBe(15 * 60_000);
  });
});

describe.each<DbKind>(["pglite", "postgres"])("sessions and throttle in the database (%s)", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 60_000);
  afterAll(async () => t?.drop());

  it("a session is live until it expires or is revoked; the table keeps only a hash of the cookie", async () => {
    const { sql } = t.db;
    const now = new Date("2026-11-23T12:00:00Z");
    const value = await createSession(sql, now, 3600);
    expect(value).toMatch(/^s2\.[\w-]{43}$/);
    expect(await verifySession(sql, value, new Date(now.getTime() + 1000))).toBe(true);
    expect(await verifySession(sql, value, new Date(now.getTime() + 3601_000))).toBe(false);
    const rows = await sql.query<{ id: string }>({ text: "SELECT id FROM sessions" });
    expect(JSON.stringify(rows)).not.toContain(value.slice(3));
    await revokeSession(sql, value);
    expect(await verifySession(sql, value, now)).toBe(false);
  });

  it("rejects junk and forged values without a query error", async () => {
    for (const junk of ["", "v1.99999999999.AAAA", "s2.short", `s2.${"A".repeat(43)}`, "s2.'; DROP TABLE sessions; --"]) {
      expect(await verifySession(t.db.sql, junk)).toBe(false);
    }
  });

  it("sign out everywhere ends every session", async () => {
    const { sql } = t.db;
    const a = await createSession(sql);
    const b = await createSession(sql);
    expect(await revokeAllSessions(sql)).toBeGreaterThanOrEqual(2);
    expect(await verifySession(sql, a)).toBe(false);
    expect(await verifySession(sql, b)).toBe(false);
  });

  it("parallel wrong guesses from one key are counted one at a time: only the free ones get a 401, the rest wait", async () => {
    const key = `ip:203.0.113.${kind === "pglite" ? 1 : 2}`;
    // One instant for all of them, so the machine's speed cannot let a block expire mid-test.
    const now = new Date();
    const results = await Promise.all(Array.from({ length: 40 }, () => checkCredential(t.db.sql, key, false, now)));
    const wrong = results.filter((r) => !r.ok && r.retryAfterSeconds === null).length;
    const blocked = results.filter((r) => !r.ok && r.retryAfterSeconds !== null);
    expect(wrong).toBe(FREE_FAILURES + 1);
    expect(blocked).toHaveLength(40 - wrong);
    expect(blocked.every((r) => !r.ok && r.retryAfterSeconds! >= 1)).toBe(true);
    // Even the right credential waits for the block on this key…
    expect(await checkCredential(t.db.sql, key, true, now)).toMatchObject({ ok: false });
    // …but another key's is never slowed.
    expect(await checkCredential(t.db.sql, "ip:198.51.100.7", true, now)).toEqual({ ok: true });
  });

  it("after the block, a right credential clears the key", async () => {
    const key = "ip:192.0.2.50";
    const start = new Date("2026-11-23T12:00:00Z");
    for (let i = 0; i <= FREE_FAILURES; i++) await checkCredential(t.db.sql, key, false, start);
    expect(await checkCredential(t.db.sql, key, true, new Date(start.getTime() + 500))).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    expect(await checkCredential(t.db.sql, key, true, new Date(start.getTime() + 1001))).toEqual({ ok: true });
    expect(await t.db.sql.query({ text: "SELECT 1 FROM auth_throttle WHERE key = $1", params: [key] })).toHaveLength(0);
  });

  it("keys without a failure for an hour are deleted when a new key fails", async () => {
    const old = new Date("2026-11-23T12:00:00Z");
    await checkCredential(t.db.sql, "ip:192.0.2.60", false, old);
    const later = new Date(old.getTime() + 61 * 60_000);
    await checkCredential(t.db.sql, "ip:192.0.2.61", false, later);
    const keys = (await t.db.sql.query<{ key: string }>({ text: "SELECT key FROM auth_throttle WHERE key LIKE 'ip:192.0.2.6_'" })).map((r) => r.key);
    expect(keys).toEqual(["ip:192.0.2.61"]);
  });
});
