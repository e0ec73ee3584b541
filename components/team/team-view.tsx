"use client";

import { useState, type FormEvent } from "react";
import { roleSchema, type Role } from "@/lib/auth/roles";
import { useTeam, useTeamMutations, type TeamUser } from "@/lib/queries/use-team";
import { CopyButton } from "../ui/copy-button";
import { EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { Time } from "../ui/time";

const ROLES = roleSchema.options;
const field = "rounded-md border border-slate-300 px-3 py-1.5 text-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200";
const button = "rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400";

/** The Team page (owner): invite, change role and export permission, remove, re-invite. */
export function TeamView() {
  const team = useTeam();
  const mutations = useTeamMutations();
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    try {
      const email = String(form.get("email"));
      const created = await mutations.invite.mutateAsync({
        email,
        name: String(form.get("name")),
        role: roleSchema.parse(form.get("role")),
        canExport: form.get("canExport") === "on",
      });
      setLink({ email, url: created.inviteUrl });
      event.currentTarget?.reset();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Team</h1>
        <p className="mt-1 text-sm text-slate-600">
          Owners manage the team; admins configure endpoints and reprocess; viewers browse. Exporting personal data is a separate permission.
        </p>
      </div>

      <form onSubmit={invite} aria-label="Invite a team member" className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4">
        <label className="flex flex-col text-sm">
          <span className="font-medium text-slate-700">Email</span>
          <input name="email" type="email" required className={field} />
        </label>
        <label className="flex flex-col text-sm">
          <span className="font-medium text-slate-700">Name</span>
          <input name="name" required className={field} />
        </label>
        <label className="flex flex-col text-sm">
          <span className="font-medium text-slate-700">Role</span>
          <select name="role" defaultValue="viewer" className={field}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input name="canExport" type="checkbox" /> Can export
        </label>
        <button type="submit" disabled={mutations.invite.isPending} className="rounded-md bg-slate-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
          Invite
        </button>
      </form>

      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      {link ? <InviteLink email={link.email} url={link.url} onDismiss={() => setLink(null)} /> : null}

      <section aria-labelledby="members-heading" className="space-y-3">
        <h2 id="members-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          Members
        </h2>
        {team.isPending ? (
          <SkeletonRows rows={3} />
        ) : team.isError ? (
          <ErrorState message={team.error.message} onRetry={() => team.refetch()} />
        ) : team.data.users.length === 0 ? (
          <EmptyState title="No team members yet">Invite someone above; they get a link to set their password.</EmptyState>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2">Name</th>
                <th>Email</th>
                <th>Role</th>
                <th>Export</th>
                <th>Last sign-in</th>
                <th className="sr-only">Actions</th>
              </tr>
            </thead>
            <tbody>
              {team.data.users.map((user) => (
                <MemberRow
                  key={user.id}
                  user={user}
                  onRole={(role) => act(() => mutations.update.mutateAsync({ id: user.id, role }))}
                  onExport={(canExport) => act(() => mutations.update.mutateAsync({ id: user.id, canExport }))}
                  onRemove={() => act(() => mutations.remove.mutateAsync(user.id))}
                  onReinvite={() => act(async () => setLink({ email: user.email, url: (await mutations.reinvite.mutateAsync(user.id)).inviteUrl }))}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function InviteLink({ email, url, onDismiss }: { email: string; url: string; onDismiss: () => void }) {
  return (
    <div role="status" className="rounded-xl border border-emerald-200 bg-emerald-50 p-4 text-sm">
      <p className="font-medium text-emerald-900">Invitation for {email}: send them this link (valid for 7 days, shown once).</p>
      <div className="mt-2 flex items-center gap-2">
        <code data-testid="invite-url" className="break-all rounded bg-white px-2 py-1 font-mono text-xs">
          {url}
        </code>
        <CopyButton text={url} />
        <button type="button" onClick={onDismiss} className={button}>
          Done
        </button>
      </div>
    </div>
  );
}

function MemberRow(props: { user: TeamUser; onRole: (role: Role) => void; onExport: (canExport: boolean) => void; onRemove: () => void; onReinvite: () => void }) {
  const { user } = props;
  return (
    <tr className="border-t border-slate-200">
      <td className="py-2 font-medium">{user.name}</td>
      <td>{user.email}</td>
      <td>
        <select aria-label={`Role of ${user.email}`} value={user.role} onChange={(e) => props.onRole(roleSchema.parse(e.target.value))} className={field}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </td>
      <td>
        <input type="checkbox" aria-label={`${user.email} can export`} checked={user.canExport} onChange={(e) => props.onExport(e.target.checked)} />
      </td>
      <td>{user.status === "invited" ? <span className="text-amber-700">invited</span> : user.lastSignInAt ? <Time iso={user.lastSignInAt} /> : "never"}</td>
      <td className="space-x-2 text-right">
        <button type="button" onClick={props.onReinvite} className={button}>
          Re-invite
        </button>
        <button
          type="button"
          onClick={() => {
            if (window.confirm(`Remove ${user.email}? Their sessions and API tokens end at once.`)) props.onRemove();
          }}
          className={`${button} text-red-700`}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}
