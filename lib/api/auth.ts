import { getAdminToken, tokensMatch } from "../auth/admin-token";
import { recordAudit } from "../auth/audit";
import { hashPassword, passwordProblem, verifyPassword } from "../auth/passwords";
import { authenticate, isHttps, isSameOriginMutation } from "../auth/request-auth";
import { clearSessionCookieHeader, createSession, readCookie, revokeAllSessions, revokeSession, SESSION_COOKIE, sessionCookieHeader } from "../auth/session";
import { checkCredential, throttleKey } from "../auth/throttle";
import { getDb } from "../db/client";
import { deleteUserSessions } from "../db/sessions";
import { errorResponse, tooManyAttempts } from "../http/admin-route";
import { jsonResponse } from "../http/json";
import { publicOrigin } from "../http/origin";
import { hashInviteToken } from "./users";

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

/**
 * POST /api/auth/login — a form post from /login (redirects) or JSON: `{token}` (the admin token,
 * the owner's bootstrap credential) or `{email, password}` (a team member). Both count against the
 * throttle of lib/auth/throttle.ts; both are audited.
 */
export async function handleLogin(request: Request): Promise<Response> {
  const origin = publicOrigin(request);
  if (!isSameOriginMutation(request, origin)) {
    return jsonResponse(403, { error: "cross_site_request", message: "log in from the dashboard's own login page" });
  }
  const isForm = (request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded");
  const fields = await readFields(request, isForm);
  const token = fields.token ?? "";
  const email = (fields.email ?? "").trim().toLowerCase();
  const password = fields.password ?? "";
  const next = safeNextPath(fields.next);
  const back = (error: string, extra = "") => new Response(null, { status: 303, headers: { location: `${origin}/login?error=${error}${extra}&next=${encodeURIComponent(next)}` } });
  try {
    const { sql, prisma } = getDb();
    const user = email ? await prisma.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } }) : null;
    const correct = email ? await verifyPassword(user?.passwordHash ?? null, password) : token !== "" && tokensMatch(token.trim(), getAdminToken());
    const actor = email ? `user:${email}` : "admin-token";
    const check = await checkCredential(sql, throttleKey(request.headers), correct);
    if (!check.ok && check.retryAfterSeconds !== null) {
      return isForm ? back("throttled", `&retry=${check.retryAfterSeconds}`) : tooManyAttempts(check.retryAfterSeconds);
    }
    if (!check.ok) {
      await recordAudit(sql, { actor: email ? actor : "anonymous", action: "auth.sign-in-failed", details: { method: email ? "password" : "admin-token", address: throttleKey(request.headers) } });
      if (isForm) return back(email ? "password" : "1");
      return jsonResponse(401, email ? { error: "invalid_credentials", message: "wrong email or password" } : { error: "invalid_token", message: "that is not the admin token" });
    }
    const userId = email ? user!.id : null;
    const cookie = sessionCookieHeader(await createSession(sql, undefined, undefined, userId), isHttps(request));
    if (userId) await prisma.user.update({ where: { id: userId }, data: { lastSignInAt: new Date() } });
    await recordAudit(sql, { actor, action: "auth.sign-in", details: { method: email ? "password" : "admin-token" } });
    if (isForm) return new Response(null, { status: 303, headers: { location: `${origin}${next}`, "set-cookie": cookie } });
    return jsonResponse(200, { ok: true }, { "set-cookie": cookie });
  } catch (error) {
    return errorResponse(error);
  }
}

async function readFields(request: Request, isForm: boolean): Promise<Record<string, string | undefined>> {
  if (isForm) return Object.fromEntries(new URLSearchParams(await request.text()));
  const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
  return Object.fromEntries(Object.entries(body ?? {}).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/**
 * POST /api/auth/accept-invite `{token, password}` — the invitee sets a password and is signed in.
 * A wrong or expired invitation counts against the throttle like a wrong password.
 */
export async function handleAcceptInvite(request: Request): Promise<Response> {
  const origin = publicOrigin(request);
  if (!isSameOriginMutation(request, origin)) {
    return jsonResponse(403, { error: "cross_site_request", message: "accept the invitation from the dashboard's own page" });
  }
  const isForm = (request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded");
  const fields = await readFields(request, isForm);
  const token = fields.token ?? "";
  const password = fields.password ?? "";
  const fail = (status: number, error: string, message: string) =>
    isForm
      ? new Response(null, { status: 303, headers: { location: `${origin}/invite?token=${encodeURIComponent(token)}&error=${encodeURIComponent(message)}` } })
      : jsonResponse(status, { error, message });
  try {
    const { sql, prisma } = getDb();
    const now = new Date();
    const user = token ? await prisma.user.findUnique({ where: { inviteTokenHash: hashInviteToken(token) }, select: { id: true, email: true, inviteExpiresAt: true } }) : null;
    const valid = user !== null && user.inviteExpiresAt !== null && user.inviteExpiresAt > now;
    const check = await checkCredential(sql, throttleKey(request.headers), valid);
    if (!check.ok && check.retryAfterSeconds !== null) return isForm ? fail(429, "", `too many attempts; try again in ${check.retryAfterSeconds} s`) : tooManyAttempts(check.retryAfterSeconds);
    if (!check.ok || !user) return fail(404, "invalid_invitation", "this invitation link is not valid or has expired; ask the owner to re-invite you");
    const problem = passwordProblem(password, { email: user.email });
    if (problem) return fail(400, "weak_password", problem);
    await prisma.user.update({
      where: { id: user.id },
      data: { passwordHash: await hashPassword(password), inviteTokenHash: null, inviteExpiresAt: null, lastSignInAt: now },
    });
    const cookie = sessionCookieHeader(await createSession(sql, now, undefined, user.id), isHttps(request));
    await recordAudit(sql, { actor: `user:${user.email}`, action: "user.accept-invite", target: user.id });
    if (isForm) return new Response(null, { status: 303, headers: { location: `${origin}/`, "set-cookie": cookie } });
    return jsonResponse(200, { ok: true, id: user.id }, { "set-cookie": cookie });
  } catch (error) {
    return errorResponse(error);
  }
}

/**
 * POST /logout: ends this browser's session (the row is deleted, so the cookie is dead on every
 * instance at once). With `everywhere=1` (the "Sign out everywhere" button) it ends every session.
 * Only from our own pages: a GET (a link or an image on another site) or a POST from another
 * origin signs nobody out.
 */
export async function handleLogout(request: Request): Promise<Response> {
  if (request.method !== "POST") {
    return jsonResponse(405, { error: "method_not_allowed", message: "sign out with the dashboard's Sign out button (POST /logout)" }, { allow: "POST" });
  }
  if (!isSameOriginMutation(request, publicOrigin(request))) {
    return jsonResponse(403, { error: "cross_site_request", message: "sign out from the dashboard's own pages" });
  }
  const secure = isHttps(request);
  const done = new Response(null, { status: 303, headers: { location: `${publicOrigin(request)}/login`, "set-cookie": clearSessionCookieHeader(secure) } });
  try {
    const { sql } = getDb();
    if (new URLSearchParams(await request.text().catch(() => "")).get("everywhere") === "1") {
      const auth = await authenticate(sql, request.headers);
      // A team member ends their own sessions; the admin token's holder (the owner) ends everyone's.
      if (auth.ok && auth.principal.userId) await deleteUserSessions(sql, auth.principal.userId);
      else if (auth.ok) await revokeAllSessions(sql);
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
