import { recordAudit } from "../auth/audit";
import { finishSso, readOidcSettings, SSO_COOKIE, startSso, type SsoState } from "../auth/oidc";
import { isHttps } from "../auth/request-auth";
import { createSession, readCookie, sessionCookieHeader } from "../auth/session";
import { getDb } from "../db/client";
import { errorMessage, logEvent } from "../log";
import { errorResponse } from "../http/admin-route";
import { jsonResponse } from "../http/json";
import { publicOrigin } from "../http/origin";
import { safeNextPath } from "./auth";

const SSO_COOKIE_SECONDS = 10 * 60;

function ssoCookie(value: string, secure: boolean, maxAge: number): string {
  // Lax: the provider sends the browser back with a top-level GET, which carries a Lax cookie.
  return [`${SSO_COOKIE}=${value}`, "Path=/api/auth/sso", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAge}`, ...(secure ? ["Secure"] : [])].join("; ");
}

const notConfigured = () => jsonResponse(404, { error: "sso_not_configured", message: "single sign-on is not set up: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET" });

/** GET /api/auth/sso?next= — to the identity provider, with PKCE, state and nonce. */
export async function handleSsoStart(request: Request): Promise<Response> {
  const settings = readOidcSettings();
  if (!settings) return notConfigured();
  try {
    const origin = publicOrigin(request);
    const next = safeNextPath(new URL(request.url).searchParams.get("next"));
    const { url, pending } = await startSso(settings, `${origin}/api/auth/sso/callback`, next);
    const cookie = ssoCookie(Buffer.from(JSON.stringify(pending)).toString("base64url"), isHttps(request), SSO_COOKIE_SECONDS);
    return new Response(null, { status: 303, headers: { location: url.href, "set-cookie": cookie } });
  } catch (error) {
    logEvent("error", "SSO start failed", { error: errorMessage(error) });
    return jsonResponse(502, { error: "sso_unavailable", message: "the identity provider could not be reached; try again or sign in with your password" });
  }
}

/**
 * GET /api/auth/sso/callback — the provider's answer. The verified email must belong to a team
 * member or a pending invitation (which it accepts); nobody else gets in.
 */
export async function handleSsoCallback(request: Request): Promise<Response> {
  const settings = readOidcSettings();
  if (!settings) return notConfigured();
  const origin = publicOrigin(request);
  const secure = isHttps(request);
  const fail = (message: string) =>
    new Response(null, { status: 303, headers: { location: `${origin}/login?error=sso&message=${encodeURIComponent(message)}`, "set-cookie": ssoCookie("", secure, 0) } });
  let pending: SsoState;
  try {
    pending = JSON.parse(Buffer.from(readCookie(request.headers.get("cookie"), SSO_COOKIE) ?? "", "base64url").toString("utf8")) as SsoState;
    if (typeof pending.state !== "string" || typeof pending.verifier !== "string") throw new Error("incomplete");
  } catch {
    return fail("the sign-in took too long or was started in another browser; start again");
  }
  try {
    const requested = new URL(request.url);
    const callbackUrl = new URL(`${origin}/api/auth/sso/callback${requested.search}`);
    let result;
    try {
      result = await finishSso(settings, callbackUrl, pending);
    } catch (error) {
      logEvent("warn", "SSO callback refused", { error: errorMessage(error) });
      return fail("the identity provider's answer could not be verified; start again");
    }
    const { sql, prisma } = getDb();
    if ("error" in result) {
      await recordAudit(sql, { actor: "anonymous", action: "auth.sign-in-failed", details: { method: "sso", reason: result.error } });
      return fail(result.error);
    }
    const user = await prisma.user.findUnique({ where: { email: result.email }, select: { id: true } });
    if (!user) {
      await recordAudit(sql, { actor: `user:${result.email}`, action: "auth.sign-in-failed", details: { method: "sso", reason: "not on the team" } });
      return fail(`${result.email} is not on the team; ask the owner for an invitation`);
    }
    // A pending invitation is accepted by signing in with the invited, verified email.
    await prisma.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date(), inviteTokenHash: null, inviteExpiresAt: null } });
    const session = await createSession(sql, undefined, undefined, user.id);
    await recordAudit(sql, { actor: `user:${result.email}`, action: "auth.sign-in", details: { method: "sso", issuer: settings.issuer } });
    const headers = new Headers({ location: `${origin}${safeNextPath(pending.next)}` });
    headers.append("set-cookie", sessionCookieHeader(session, secure));
    headers.append("set-cookie", ssoCookie("", secure, 0));
    return new Response(null, { status: 303, headers });
  } catch (error) {
    return errorResponse(error);
  }
}
