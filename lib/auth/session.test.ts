import { describe, expect, it } from "vitest";
import { loginDelayMs, recordLoginFailure, recordLoginSuccess } from "./login-throttle";
import { createSessionValue, readCookie, sessionCookieHeader, verifySessionValue } from "./session";

describe("session cookie", () => {
  const token = "admin-token-for-tests-123456";

  it("verifies its own signature until it expires", () => {
    const now = Date.parse("2026-11-23T12:00:00Z");
    const value = createSessionValue(token, now, 3600);
    expect(verifySessionValue(value, token, now + 1000)).toBe(true);
    expect(verifySessionValue(value, token, now + 3601_000)).toBe(false);
  });

  it("rejects a forged expiry, another token's session and junk", () => {
    const now = Date.now();
    const value = createSessionValue(token, now, 60);
    const [v, exp, sig] = value.split(".");
    expect(verifySessionValue(`${v}.${Number(exp) + 86400}.${sig}`, token, now)).toBe(false);
    expect(verifySessionValue(value, "another-admin-token-000000", now)).toBe(false);
    expect(verifySessionValue("v1.abc.def", token, now)).toBe(false);
    expect(verifySessionValue(undefined, token, now)).toBe(false);
  });

  it("is httpOnly, SameSite=Lax, with an expiry, and Secure only over https", () => {
    const plain = sessionCookieHeader("v", false);
    expect(plain).toMatch(/HttpOnly/);
    expect(plain).toMatch(/SameSite=Lax/);
    expect(plain).toMatch(/Max-Age=\d+/);
    expect(plain).not.toMatch(/Secure/);
    expect(sessionCookieHeader("v", true)).toMatch(/; Secure$/);
  });

  it("reads one cookie among several", () => {
    expect(readCookie("a=1; ch_session=v1.2.x; b=3", "ch_session")).toBe("v1.2.x");
    expect(readCookie(null, "ch_session")).toBeNull();
  });
});

describe("login throttle", () => {
  it("doubles the wait after each wrong token and clears it after a right one", () => {
    const client = `client-${Math.random()}`;
    const now = Date.now();
    expect(loginDelayMs(client, now)).toBe(0);
    recordLoginFailure(client, now);
    expect(loginDelayMs(client, now)).toBe(250);
    recordLoginFailure(client, now);
    recordLoginFailure(client, now);
    expect(loginDelayMs(client, now)).toBe(1000);
    for (let i = 0; i < 10; i++) recordLoginFailure(client, now);
    expect(loginDelayMs(client, now)).toBe(8000);
    expect(loginDelayMs(client, now + 16 * 60_000)).toBe(0);
    recordLoginSuccess(client);
    expect(loginDelayMs(client, now)).toBe(0);
  });
});
