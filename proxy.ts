import { NextResponse, type NextRequest } from "next/server";
import { authenticate } from "@/lib/auth/request-auth";

/**
 * Pages need the session cookie (or the admin token as a Bearer header, for scripts and tests);
 * without either they redirect to /login. API routes check auth themselves and answer 401 JSON.
 */
export function proxy(request: NextRequest) {
  if (authenticate(request.headers).ok) return NextResponse.next();
  const login = request.nextUrl.clone();
  login.pathname = "/login";
  login.search = `?next=${encodeURIComponent(request.nextUrl.pathname + request.nextUrl.search)}`;
  return NextResponse.redirect(login);
}

export const config = {
  // Everything but the API, the login page and static assets.
  matcher: ["/((?!api/|login|logout|_next/|favicon\\.svg|.*\\.(?:png|svg|ico|txt)$).*)"],
};
