import { getAdminToken, tokensMatch } from "../auth/admin-token";
import { clientKey, loginDelayMs, recordLoginFailure, recordLoginSuccess } from "../auth/login-throttle";
import { isHttps, isSameOriginMutation } from "../auth/request-auth";
import { clearSessionCookieHeader, createSessionValue, sessionCookieHeader } from "../auth/session";
import { jsonResponse } from "../http/json";
import { publicOrigin } from "../http/origin";

/** Only same-site paths: `next=//evil.example` or absolute URLs must not become open redirects. */
export function safeNextPath(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
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
  const client = clientKey(request.headers);
  const delay = loginDelayMs(client);
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));

  if (!token || !tokensMatch(token.trim(), getAdminToken())) {
    recordLoginFailure(client);
    if (isForm) {
      return new Response(null, { status: 303, headers: { location: `${origin}/login?error=1&next=${encodeURIComponent(next)}` } });
    }
    return jsonResponse(401, { error: "invalid_token", message: "that is not the admin token" });
  }
  recordLoginSuccess(client);
  const cookie = sessionCookieHeader(createSessionValue(getAdminToken()), isHttps(request));
  if (isForm) return new Response(null, { status: 303, headers: { location: `${origin}${next}`, "set-cookie": cookie } });
  return jsonResponse(200, { ok: true }, { "set-cookie": cookie });
}

export function handleLogout(request: Request): Response {
  return new Response(null, {
    status: 303,
    headers: { location: `${publicOrigin(request)}/login`, "set-cookie": clearSessionCookieHeader(isHttps(request)) },
  });
}
