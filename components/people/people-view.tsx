"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { StatusPill, statusLabels } from "@/components/candidates/status-pill";
import { ProviderBadge } from "@/components/ui/badge";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import { candidateStatuses, type CandidateStatus } from "@/lib/history/status";
import { usePeople } from "@/lib/queries/use-people";

/** The People view: one row per person, its records' providers, searchable by name, email or provider id. */
export function PeopleView() {
  const params = useSearchParams();
  const router = useRouter();
  const q = params?.get("q") ?? undefined;
  const status = params?.get("status") ?? undefined;
  const [text, setText] = useState(q ?? "");
  const people = usePeople({ q, status });
  const rows = people.data?.pages.flatMap((p) => p.people) ?? [];

  const go = (next: { q?: string; status?: string }) => {
    const search = new URLSearchParams();
    if (next.q) search.set("q", next.q);
    if (next.status) search.set("status", next.status);
    const s = search.toString();
    router.replace(s ? `/people?${s}` : "/people");
  };

  return (
    <div className="space-y-4">
      <form
        role="search"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: text.trim() || undefined, status });
        }}
      >
        <label className="flex min-w-0 flex-1 flex-col gap-1 text-sm text-slate-700 sm:max-w-sm">
          Search people
          <input
            name="q"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Name, email or provider id"
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm text-slate-700">
          Status
          <select
            name="status"
            value={status ?? ""}
            onChange={(e) => go({ q, status: e.target.value || undefined })}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
          >
            <option value="">Any</option>
            {candidateStatuses.map((s) => (
              <option key={s} value={s}>
                {statusLabels[s]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">
          Search
        </button>
      </form>

      {people.isPending ? (
        <SkeletonRows rows={8} />
      ) : people.isError && !people.data ? (
        <ErrorState message={people.error.message} onRetry={() => people.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={q || status ? "No people match" : "No people yet"}>
          {q || status ? "Try another search." : "People appear as deliveries arrive: records with the same email are grouped."}
        </EmptyState>
      ) : (
        <ul aria-label="People" className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white">
          {rows.map((person) => {
            const providers = [...new Set(person.candidates.map((c) => c.provider))];
            return (
              <li key={person.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3">
                <div className="min-w-0 flex-1">
                  <Link href={`/people/${encodeURIComponent(person.id)}`} className="font-medium text-slate-900 underline-offset-2 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">
                    {person.name ?? person.emails[0] ?? "Unnamed person"}
                  </Link>
                  <p className="truncate text-xs text-slate-600">{person.emails.join(", ") || "No email"}</p>
                </div>
                <span className="text-xs text-slate-600">
                  {person.candidates.length} record{person.candidates.length === 1 ? "" : "s"}:{" "}
                  {providers.map((p, i) => (
                    <span key={p}>
                      {i > 0 ? ", " : null}
                      <ProviderBadge provider={p} />
                    </span>
                  ))}
                </span>
                <StatusPill status={person.status as CandidateStatus} size="md" />
                <span className="w-full text-xs text-slate-500 sm:w-auto">
                  <Time iso={person.lastEventAt} />
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {people.hasNextPage ? (
        <button
          type="button"
          onClick={() => people.fetchNextPage()}
          disabled={people.isFetchingNextPage}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
        >
          {people.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </div>
  );
}
