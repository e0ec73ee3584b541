import { bearerToken, getAdminToken, tokensMatch } from "./admin-token";
import { readCookie, SESSION_COOKIE, verifySessionValue } from "./session";

export type AuthResult = { ok: true; via: "bearer" | "session" } | { ok: false };

/** Scripts and tests send the admin token as a Bearer header; browsers carry the session cookie. */
export function authenticate(headers: Headers): AuthResult {
  const token = bearerToken(headers.get("authorization"));
  if (token) return tokensMatch(token, getAdminToken()) ? { ok: true, via: "bearer" } : { ok: false };
  return verifySessionValue(readCookie(headers.get("cookie"), SESSION_COOKIE), getAdminToken()) ? { ok: true, via: "session" } : { ok: false };
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
