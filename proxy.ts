import { randomBytes } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { authenticate } from "@/lib/auth/request-auth";
import { can, missingPermissionReason, PRINCIPAL_HEADER, type Permission, type Principal } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { pageContentSecurityPolicy } from "@/lib/http/security-headers";

/** Pages anyone may open: the login form, the logout route and the invitation form. */
const PUBLIC_PAGES = new Set(["/login", "/logout", "/invite"]);

/** Pages a role may not open (issue 19): the page's path prefix and the permission it needs. */
const PAGE_PERMISSIONS: [string, Permission][] = [
  ["/team", "admin"],
  ["/audit", "admin"],
  ["/settings", "write"],
];

/**
 * Every page — whatever its path looks like, `.png` included — needs a live session (checked
 * against the sessions table) or the admin token as a Bearer header (scripts and tests); without
 * either it redirects to /login. API routes check auth themselves and answer 401 JSON.
 *
 * Every page also gets a Content-Security-Policy with a fresh nonce: Next.js reads it from the
 * request header and puts the nonce on its own scripts (which is why every page renders per request).
 */
export async function proxy(request: NextRequest) {
  let principal: Principal | null = null;
  if (!PUBLIC_PAGES.has(request.nextUrl.pathname)) {
    let auth;
    try {
      auth = await authenticate(getDb().sql, request.headers);
    } catch {
      return new NextResponse("The database is unavailable; retry in a moment.\n", { status: 503, headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "5" } });
    }
    if (!auth.ok && auth.retryAfterSeconds !== null) {
      return new NextResponse(`Too many wrong admin tokens from this address; try again in ${auth.retryAfterSeconds} s.\n`, {
        status: 429,
        headers: { "content-type": "text/plain; charset=utf-8", "retry-after": String(auth.retryAfterSeconds) },
      });
    }
    if (!auth.ok) {
      const login = request.nextUrl.clone();
      login.pathname = "/login";
      login.search = `?next=${encodeURIComponent(request.nextUrl.pathname + request.nextUrl.search)}`;
      return NextResponse.redirect(login);
    }
    principal = auth.principal;
    const needed = PAGE_PERMISSIONS.find(([prefix]) => request.nextUrl.pathname === prefix || request.nextUrl.pathname.startsWith(`${prefix}/`));
    if (needed && !can(principal, needed[1])) {
      return new NextResponse(`Forbidden: ${missingPermissionReason(needed[1])}.\n`, { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
  }
  const nonce = randomBytes(16).toString("base64");
  const csp = pageContentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-nonce", nonce);
  // What the signed-in person may do, for the layout to hide what they cannot (the API enforces it).
  // Set or removed here on every page request, so a client cannot send its own.
  requestHeaders.delete(PRINCIPAL_HEADER);
  if (principal) requestHeaders.set(PRINCIPAL_HEADER, JSON.stringify({ actor: principal.actor, role: principal.role, permissions: principal.permissions }));
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Everything but the API (its routes answer 401 JSON themselves) and the build's static files.
  matcher: ["/((?!api/|_next/static/|_next/image|favicon\\.svg$).*)"],
};
