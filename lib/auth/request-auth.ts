import type { Sql } from "../db/sql";
import { bearerToken, getAdminToken, tokensMatch } from "./admin-token";
import { readCookie, SESSION_COOKIE, verifySession } from "./session";
import { checkCredential, throttleKey } from "./throttle";

export type AuthResult =
  | { ok: true; via: "bearer" | "session"; session: string | null }
  | { ok: false; retryAfterSeconds: number | null };

/**
 * Scripts and tests send the admin token as a Bearer header (throttled per client: see
 * lib/auth/throttle.ts); browsers carry the session cookie, checked against the sessions table on
 * every request so a revoked session stops at once. A cookie's secret is 256 random bits: guessing
 * one is hopeless, so cookies are not throttled.
 */
export async function authenticate(sql: Sql, headers: Headers): Promise<AuthResult> {
  const token = bearerToken(headers.get("authorization"));
  if (token) {
    const check = await checkCredential(sql, throttleKey(headers), tokensMatch(token, getAdminToken()));
    return check.ok ? { ok: true, via: "bearer", session: null } : check;
  }
  const session = readCookie(headers.get("cookie"), SESSION_COOKIE);
  if (session && (await verifySession(sql, session))) return { ok: true, via: "session", session };
  return { ok: false, retryAfterSeconds: null };
}

/**
 * A cookie-authenticated mutation must come from our own pages. SameSite=Lax already keeps the
 * cookie off cross-site POSTs; the Origin check also covers same-site subdomains and old browsers.
 */
export function isSameOriginMutation(request: Request, publicOrigin: string): boolean {
  if (["GET", "HEAD", "OPTIONS"].includes(request.method)) return true;
  const origin = request.headers.get("origin");
  if (origin) return origin === publicOrigin;
  const site = request.headers.get("sec-fetch-site");
  return site === "same-origin" || site === null;
}

/** Served over https directly or behind a TLS-terminating proxy. */
export function isHttps(request: Request): boolean {
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return (proto ?? new URL(request.url).protocol.replace(":", "")) === "https";
}
