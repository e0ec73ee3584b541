import { safeNextPath } from "@/lib/api/auth";
import { readOidcSettings } from "@/lib/auth/oidc";

export const dynamic = "force-dynamic";

const inputClass = "mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200";
const buttonClass = "mt-6 w-full rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 focus:outline-none focus:ring-2 focus:ring-sky-300";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[]; error?: string | string[]; retry?: string | string[]; message?: string | string[] }> }) {
  const params = await searchParams;
  const sso = readOidcSettings() !== null;
  const ssoMessage = params.error === "sso" && typeof params.message === "string" ? params.message.slice(0, 300) : null;
  const next = safeNextPath(params.next);
  const retry = Number(params.retry);
  return (
    <main className="flex min-h-screen items-center justify-center px-6">
      <div className="w-full max-w-sm space-y-4">
        <form method="post" action="/api/auth/login" aria-label="Team member sign-in" className="rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
          <div className="flex items-center gap-3">
            <img src="/favicon.svg" alt="" className="h-8 w-8" />
            <h1 className="text-lg font-semibold">Candidate History</h1>
          </div>
          <input type="hidden" name="next" value={next} />
          <label htmlFor="email" className="mt-6 block text-sm font-medium text-slate-700">
            Email
          </label>
          <input id="email" name="email" type="email" required autoFocus autoComplete="username" className={inputClass} />
          <label htmlFor="password" className="mt-4 block text-sm font-medium text-slate-700">
            Password
          </label>
          <input id="password" name="password" type="password" required autoComplete="current-password" className={inputClass} />
          {params.error === "throttled" ? (
            <p role="alert" className="mt-3 text-sm text-red-700">
              Too many wrong credentials from this address. Try again in {Number.isFinite(retry) && retry > 0 ? `${retry} s` : "a moment"}.
            </p>
          ) : params.error === "password" ? (
            <p role="alert" className="mt-3 text-sm text-red-700">
              Wrong email or password.
            </p>
          ) : null}
          <button type="submit" className={buttonClass}>
            Sign in
          </button>
          {sso ? (
            <a href={`/api/auth/sso?next=${encodeURIComponent(next)}`} className="mt-3 block w-full rounded-md px-4 py-2 text-center text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100">
              Sign in with SSO
            </a>
          ) : null}
          {ssoMessage ? (
            <p role="alert" className="mt-3 text-sm text-red-700">
              Single sign-on: {ssoMessage}
            </p>
          ) : null}
        </form>
        <section className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 className="text-sm font-medium text-slate-700">Or sign in with the admin token</h2>
          <form method="post" action="/api/auth/login" aria-label="Owner bootstrap sign-in">
            <p className="mt-3 text-sm text-slate-600">
              The owner&apos;s bootstrap credential. It was printed when the server first started and is kept in <code className="font-mono">DATA_DIR/admin-token</code> (or set as <code className="font-mono">ADMIN_TOKEN</code>).
            </p>
            <input type="hidden" name="next" value={next} />
            <label htmlFor="token" className="mt-4 block text-sm font-medium text-slate-700">
              Admin token
            </label>
            <input id="token" name="token" type="password" required autoComplete="off" className={`${inputClass} font-mono`} />
            {params.error === "1" ? (
              <p role="alert" className="mt-3 text-sm text-red-700">
                That is not the admin token.
              </p>
            ) : null}
            <button type="submit" className={buttonClass}>
              Log in
            </button>
          </form>
        </section>
      </div>
    </main>
  );
}
