"use client";

import { useState, type FormEvent } from "react";
import { permissionSchema } from "@/lib/auth/roles";
import { useAccountMutations, useSessions, useTokens } from "@/lib/queries/use-account";
import { usePrincipal } from "../team/permissions";
import { CopyButton } from "../ui/copy-button";
import { ErrorState, SkeletonRows } from "../ui/states";
import { Time } from "../ui/time";

const field = "rounded-md border border-slate-300 px-3 py-1.5 text-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200";
const button = "rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-100";

/** Personal API tokens and signed-in sessions (the owner sees everyone's). */
export function AccountView() {
  const principal = usePrincipal();
  const tokens = useTokens();
  const sessions = useSessions();
  const mutations = useAccountMutations();
  const [made, setMade] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const grantable = permissionSchema.options.filter((p) => principal === null || principal.permissions.includes(p));

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    try {
      const days = Number(form.get("expiresInDays"));
      const created = await mutations.createToken.mutateAsync({
        name: String(form.get("name")),
        scopes: grantable.filter((p) => form.get(`scope-${p}`) === "on"),
        ...(days > 0 ? { expiresInDays: days } : {}),
      });
      setMade(created.token);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold tracking-tight">Tokens and sessions</h1>
      <section aria-labelledby="tokens-heading" className="space-y-3">
        <h2 id="tokens-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          Personal API tokens
        </h2>
        <form onSubmit={create} aria-label="Create an API token" className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4">
          <label className="flex flex-col text-sm">
            <span className="font-medium text-slate-700">Token name</span>
            <input name="name" required className={field} />
          </label>
          {grantable.map((p) => (
            <label key={p} className="flex items-center gap-1 text-sm text-slate-700">
              <input type="checkbox" name={`scope-${p}`} defaultChecked={p === "read"} /> {p}
            </label>
          ))}
          <label className="flex flex-col text-sm">
            <span className="font-medium text-slate-700">Expires in (days, empty: never)</span>
            <input name="expiresInDays" type="number" min={1} className={field} />
          </label>
          <button type="submit" className="rounded-md bg-slate-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
            Create token
          </button>
        </form>
        {error ? (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : null}
        {made ? (
          <div role="status" className="flex items-center gap-2 rounded-xl border border-emerald-200 bg-emerald-50 p-4 text-sm">
            <span>Copy it now; it is not shown again:</span>
            <code className="break-all font-mono text-xs">{made}</code>
            <CopyButton text={made} />
          </div>
        ) : null}
        {tokens.isPending ? (
          <SkeletonRows rows={2} />
        ) : tokens.isError ? (
          <ErrorState message={tokens.error.message} />
        ) : (
          <ul className="divide-y divide-slate-200 text-sm">
            {tokens.data.tokens.map((t) => (
              <li key={t.id} className="flex items-center gap-4 py-2">
                <span className="font-medium">{t.name}</span>
                <span className="font-mono text-xs">{t.scopes.join(", ")}</span>
                <span className="text-slate-600">last used {t.lastUsedAt ? <Time iso={t.lastUsedAt} /> : "never"}</span>
                <span className="text-slate-600">{t.expiresAt ? <>expires <Time iso={t.expiresAt} /></> : "no expiry"}</span>
                <button type="button" onClick={() => mutations.revokeToken.mutate(t.id)} className={`${button} ml-auto text-red-700`}>
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="sessions-heading" className="space-y-3">
        <h2 id="sessions-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          Sessions
        </h2>
        {sessions.isPending ? (
          <SkeletonRows rows={2} />
        ) : sessions.isError ? (
          <ErrorState message={sessions.error.message} />
        ) : (
          <ul className="divide-y divide-slate-200 text-sm">
            {sessions.data.sessions.map((s) => (
              <li key={s.id} className="flex items-center gap-4 py-2">
                <span>{s.userId ?? "admin token"}</span>
                <span className="text-slate-600">
                  signed in <Time iso={s.createdAt} />
                </span>
                {s.current ? <span className="text-emerald-700">this browser</span> : null}
                <button type="button" onClick={() => mutations.revokeSession.mutate(s.id)} className={`${button} ml-auto text-red-700`}>
                  End
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
