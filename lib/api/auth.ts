import { getAdminToken, tokensMatch } from "../auth/admin-token";
import { authenticate, isHttps, isSameOriginMutation } from "../auth/request-auth";
import { clearSessionCookieHeader, createSession, readCookie, revokeAllSessions, revokeSession, SESSION_COOKIE, sessionCookieHeader } from "../auth/session";
import { checkCredential, throttleKey } from "../auth/throttle";
import { getDb } from "../db/client";
import { errorResponse, tooManyAttempts } from "../http/admin-route";
import { jsonResponse } from "../http/json";
import { publicOrigin } from "../http/origin";

/**
 * Only a path on this site: `next=//evil.example` or absolute URLs must not become open
 * redirects, and control characters (CR/LF) must never reach a Location header. Anything else is "/".
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || next.length > 2048 || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  try {
    const url = new URL(next, "http://same.invalid");
    return url.origin === "http://same.invalid" ? `${url.pathname}${url.search}${url.hash}` : "/";
  } catch {
    return "/";
  }
}

/** POST /api/auth/login — a form post from /login (redirects) or JSON `{token}` (answers JSON). */
export async function handleLogin(request: Request): Promise<Response> {
  const origin = publicOrigin(request);
  if (!isSameOriginMutation(request, origin)) {
    return jsonResponse(403, { error: "cross_site_request", message: "log in from the dashboard's own login page" });
  }
  const isForm = (request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded");
  let token = "";
  let next = "/";
  if (isForm) {
    const form = new URLSearchParams(await request.text());
    token = form.get("token") ?? "";
    next = safeNextPath(form.get("next"));
  } else {
    const body = (await request.json().catch(() => null)) as { token?: unknown } | null;
    token = typeof body?.token === "string" ? body.token : "";
  }
  const back = (error: string, extra = "") => new Response(null, { status: 303, headers: { location: `${origin}/login?error=${error}${extra}&next=${encodeURIComponent(next)}` } });
  try {
    const { sql } = getDb();
    const check = await checkCredential(sql, throttleKey(request.headers), token !== "" && tokensMatch(token.trim(), getAdminToken()));
    if (!check.ok && check.retryAfterSeconds !== null) {
      return isForm ? back("throttled", `&retry=${check.retryAfterSeconds}`) : tooManyAttempts(check.retryAfterSeconds);
    }
    if (!check.ok) {
      return isForm ? back("1") : jsonResponse(401, { error: "invalid_token", message: "that is not the admin token" });
    }
    const cookie = sessionCookieHeader(await createSession(sql), isHttps(request));
    if (isForm) return new Response(null, { status: 303, headers: { location: `${origin}${next}`, "set-cookie": cookie } });
    return jsonResponse(200, { ok: true }, { "set-cookie": cookie });
  } catch (error) {
    return errorResponse(error);
  }
}

/**
 * GET or POST /logout: ends this browser's session (the row is deleted, so the cookie is dead on
 * every instance at once). POST with `everywhere=1` (the "Sign out everywhere" button) ends every
 * session, when asked by a signed-in browser from our own pages.
 */
export async function handleLogout(request: Request): Promise<Response> {
  const secure = isHttps(request);
  const done = new Response(null, { status: 303, headers: { location: `${publicOrigin(request)}/login`, "set-cookie": clearSessionCookieHeader(secure) } });
  try {
    const { sql } = getDb();
    if (request.method === "POST" && new URLSearchParams(await request.text().catch(() => "")).get("everywhere") === "1") {
      if (!isSameOriginMutation(request, publicOrigin(request))) {
        return jsonResponse(403, { error: "cross_site_request", message: "sign out from the dashboard's own pages" });
      }
      const auth = await authenticate(sql, request.headers);
      if (auth.ok) await revokeAllSessions(sql);
      return done;
    }
    await revokeSession(sql, readCookie(request.headers.get("cookie"), SESSION_COOKIE));
    return done;
  } catch (error) {
    return errorResponse(error);
  }
}

/** DELETE /api/auth/sessions (admin): every session ends; for scripts and the Bearer token. */
export async function handleRevokeAllSessions({ sql }: { sql: Parameters<typeof revokeAllSessions>[0] }) {
  return { revoked: await revokeAllSessions(sql) };
}
