"use client";

import { useState, type FormEvent } from "react";
import { auditQueryString, useAudit, type AuditFilters } from "@/lib/queries/use-audit";
import { EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { Time } from "../ui/time";

const field = "rounded-md border border-slate-300 px-3 py-1.5 text-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200";
const EMPTY: AuditFilters = { actor: "", action: "", from: "", to: "" };

/** The Audit page (owner): who did what, filtered, newest first; the CSV export is itself audited. */
export function AuditView() {
  const [filters, setFilters] = useState<AuditFilters>(EMPTY);
  const audit = useAudit(filters);

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilters({ actor: String(form.get("actor") ?? ""), action: String(form.get("action") ?? ""), from: String(form.get("from") ?? ""), to: String(form.get("to") ?? "") });
  }

  const entries = audit.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <p className="mt-1 text-sm text-slate-600">Sign-ins, team changes, tokens and sessions, endpoint changes, secret rotations, reprocessing and exports. Entries cannot be changed or deleted.</p>
      </div>
      <form onSubmit={apply} aria-label="Audit filters" className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-sm">
          <span className="font-medium text-slate-700">Actor</span>
          <input name="actor" placeholder="email or token id" className={field} />
        </label>
        <label className="flex flex-col text-sm">
          <span className="font-medium text-slate-700">Action</span>
          <input name="action" placeholder="e.g. endpoint. or auth.sign-in" className={field} />
        </label>
        <label className="flex flex-col text-sm">
          <span className="font-medium text-slate-700">From</span>
          <input name="from" type="datetime-local" className={field} />
        </label>
        <label className="flex flex-col text-sm">
          <span className="font-medium text-slate-700">To</span>
          <input name="to" type="datetime-local" className={field} />
        </label>
        <button type="submit" className="rounded-md bg-slate-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
          Apply
        </button>
        <a href={`/api/audit/export.csv${auditQueryString(filters)}`} download className="rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-100">
          Export CSV
        </a>
      </form>
      {audit.isPending ? (
        <SkeletonRows rows={5} />
      ) : audit.isError ? (
        <ErrorState message={audit.error.message} onRetry={() => audit.refetch()} />
      ) : entries.length === 0 ? (
        <EmptyState title="No entries match" />
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-2">When</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Target</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} className="border-t border-slate-200 align-top">
                <td className="whitespace-nowrap py-2 pr-3">
                  <Time iso={e.at} />
                </td>
                <td className="pr-3">{e.actor}</td>
                <td className="pr-3 font-mono text-xs">{e.action}</td>
                <td className="pr-3 font-mono text-xs">{e.target ?? ""}</td>
                <td className="max-w-md break-all font-mono text-xs text-slate-600">{JSON.stringify(e.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {audit.hasNextPage ? (
        <button type="button" onClick={() => audit.fetchNextPage()} disabled={audit.isFetchingNextPage} className="rounded-md px-3 py-1.5 text-sm ring-1 ring-slate-300 hover:bg-slate-100">
          {audit.isFetchingNextPage ? "Loading…" : "Load older entries"}
        </button>
      ) : null}
    </div>
  );
}
