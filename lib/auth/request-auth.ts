import type { Sql } from "../db/sql";
import { bearerToken, getAdminToken, tokensMatch } from "./admin-token";
import { findApiToken, isApiToken } from "./api-tokens";
import { adminTokenPrincipal, tokenPrincipal, userPrincipal, type Principal } from "./roles";
import { readCookie, readSession, SESSION_COOKIE } from "./session";
import { checkCredential, throttleKey } from "./throttle";

export type AuthResult =
  | { ok: true; via: "bearer" | "session"; session: string | null; principal: Principal }
  | { ok: false; retryAfterSeconds: number | null };

/**
 * Scripts send a personal API token or the admin token as a Bearer header (throttled per client: see
 * lib/auth/throttle.ts); browsers carry the session cookie, checked against the sessions table on
 * every request so a revoked session stops at once. A cookie's secret is 256 random bits: guessing
 * one is hopeless, so cookies are not throttled.
 */
export async function authenticate(sql: Sql, headers: Headers): Promise<AuthResult> {
  const token = bearerToken(headers.get("authorization"));
  if (token) {
    // Personal API tokens (lib/auth/api-tokens.ts) or the admin token, under the same throttle.
    const found = isApiToken(token) ? await findApiToken(sql, token) : null;
    const correct = found !== null || (!isApiToken(token) && tokensMatch(token, getAdminToken()));
    const check = await checkCredential(sql, throttleKey(headers), correct);
    if (!check.ok) return check;
    const principal = found ? tokenPrincipal(found.user ? userPrincipal(found.user) : adminTokenPrincipal, found) : adminTokenPrincipal;
    return { ok: true, via: "bearer", session: null, principal };
  }
  const session = readCookie(headers.get("cookie"), SESSION_COOKIE);
  const live = session ? await readSession(sql, session) : null;
  if (session && live) return { ok: true, via: "session", session, principal: live.user ? userPrincipal(live.user) : adminTokenPrincipal };
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
