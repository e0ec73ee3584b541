import { safeNextPath } from "@/lib/api/auth";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[]; error?: string | string[]; retry?: string | string[] }> }) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  const retry = Number(params.retry);
  return (
    <main className="flex min-h-screen items-center justify-center px-6">
      <form method="post" action="/api/auth/login" className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <div className="flex items-center gap-3">
          <img src="/favicon.svg" alt="" className="h-8 w-8" />
          <h1 className="text-lg font-semibold">Candidate History</h1>
        </div>
        <p className="mt-4 text-sm text-slate-600">
          Enter the admin token. It was printed when the server first started and is kept in <code className="font-mono">DATA_DIR/admin-token</code> (or set as <code className="font-mono">ADMIN_TOKEN</code>).
        </p>
        <input type="hidden" name="next" value={next} />
        <label htmlFor="token" className="mt-6 block text-sm font-medium text-slate-700">
          Admin token
        </label>
        <input
          id="token"
          name="token"
          type="password"
          required
          autoFocus
          autoComplete="current-password"
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200"
        />
        {params.error === "throttled" ? (
          <p role="alert" className="mt-3 text-sm text-red-700">
            Too many wrong tokens from this address. Try again in {Number.isFinite(retry) && retry > 0 ? `${retry} s` : "a moment"}.
          </p>
        ) : params.error ? (
          <p role="alert" className="mt-3 text-sm text-red-700">
            That is not the admin token.
          </p>
        ) : null}
        <button type="submit" className="mt-6 w-full rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 focus:outline-none focus:ring-2 focus:ring-sky-300">
          Log in
        </button>
      </form>
    </main>
  );
}
