import { MIN_PASSWORD_LENGTH } from "@/lib/auth/passwords";

export const dynamic = "force-dynamic";

/** Where an invitation link leads: the invitee chooses a password and is signed in. */
export default async function InvitePage({ searchParams }: { searchParams: Promise<{ token?: string | string[]; error?: string | string[] }> }) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const error = typeof params.error === "string" ? params.error.slice(0, 300) : null;
  return (
    <main className="flex min-h-screen items-center justify-center px-6">
      <form method="post" action="/api/auth/accept-invite" className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <div className="flex items-center gap-3">
          <img src="/favicon.svg" alt="" className="h-8 w-8" />
          <h1 className="text-lg font-semibold">Join Candidate History</h1>
        </div>
        <p className="mt-4 text-sm text-slate-600">
          Choose a password of at least {MIN_PASSWORD_LENGTH} characters. Common breached passwords are refused. You sign in with your email and this password.
        </p>
        <input type="hidden" name="token" value={token} />
        <label htmlFor="password" className="mt-6 block text-sm font-medium text-slate-700">
          New password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          autoFocus
          autoComplete="new-password"
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200"
        />
        {error ? (
          <p role="alert" className="mt-3 text-sm text-red-700">
            {error}
          </p>
        ) : null}
        <button type="submit" className="mt-6 w-full rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 focus:outline-none focus:ring-2 focus:ring-sky-300">
          Set password and sign in
        </button>
      </form>
    </main>
  );
}
