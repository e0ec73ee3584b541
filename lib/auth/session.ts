import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "ch_session";
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

/**
 * Sessions are stateless: `v1.<expires>.<hmac>`, signed with a key derived from the admin token.
 * Every instance that shares ADMIN_TOKEN accepts every session; changing the token ends them all.
 */
function sessionKey(adminToken: string): Buffer {
  return createHash("sha256").update(`candidate-history session v1\0${adminToken}`).digest();
}

export function createSessionValue(adminToken: string, now = Date.now(), ttlSeconds = SESSION_TTL_SECONDS): string {
  const expires = Math.floor(now / 1000) + ttlSeconds;
  const sig = createHmac("sha256", sessionKey(adminToken)).update(`v1.${expires}`).digest("base64url");
  return `v1.${expires}.${sig}`;
}

export function verifySessionValue(value: string | undefined | null, adminToken: string, now = Date.now()): boolean {
  if (!value) return false;
  const match = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return false;
  const expected = createHmac("sha256", sessionKey(adminToken)).update(`v1.${match[1]}`).digest();
  const given = Buffer.from(match[2], "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  return Number(match[1]) * 1000 > now;
}

export function readCookie(header: string | null, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

export function sessionCookieHeader(value: string, secure: boolean, maxAge = SESSION_TTL_SECONDS): string {
  return [`${SESSION_COOKIE}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAge}`, ...(secure ? ["Secure"] : [])].join("; ");
}

export function clearSessionCookieHeader(secure: boolean): string {
  return sessionCookieHeader("", secure, 0);
}
