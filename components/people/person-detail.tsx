"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { StatusPill } from "@/components/candidates/status-pill";
import { useCan } from "@/components/team/permissions";
import { BookkeepingToggle } from "@/components/timeline/timeline";
import { TimelineEvent } from "@/components/timeline/timeline-event";
import { ProviderBadge } from "@/components/ui/badge";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import type { PersonView } from "@/lib/contracts/people";
import type { CandidateStatus, JobStatus } from "@/lib/history/status";
import { ApiError } from "@/lib/queries/api-client";
import { usePerson, usePersonAction, usePersonSuggestions, usePersonTimeline } from "@/lib/queries/use-people";

const reasonLabels: Record<PersonView["candidates"][number]["link"]["reason"], string> = {
  new: "first record of this person",
  email: "same email",
  manual: "linked by hand",
  suggestion: "accepted suggestion",
};

type PersonRecord = PersonView["candidates"][number];

function linkText(record: PersonRecord): string {
  const { reason, detail, linkedBy } = record.link;
  const parts = [reasonLabels[reason]];
  if (detail && reason !== "manual") parts.push(`(${detail})`);
  if (linkedBy) parts.push(`by ${linkedBy}`);
  return parts.join(" ");
}

/** A person: identity, records (merged ones under their survivor), applications, suggestions and one timeline. */
export function PersonDetail({ id }: { id: string }) {
  const person = usePerson(id);
  if (person.isPending) return <SkeletonRows rows={6} />;
  if (person.isError) {
    if (person.error instanceof ApiError && person.error.status === 404) {
      return (
        <EmptyState title="No such person">
          This person no longer exists (its records were linked elsewhere or deleted). <Link href="/people" className="underline">All people</Link>
        </EmptyState>
      );
    }
    return <ErrorState message={person.error.message} onRetry={() => person.refetch()} />;
  }
  return <PersonPage person={person.data} />;
}

function PersonPage({ person }: { person: PersonView }) {
  const canWrite = useCan("write");
  const action = usePersonAction(person.id);
  const survivors = person.candidates.filter((c) => !c.mergedInto?.id || !person.candidates.some((o) => o.id === c.mergedInto!.id));
  const mergedUnder = (id: string) => person.candidates.filter((c) => c.mergedInto?.id === id);
  const providerOf = new Map(person.candidates.map((c) => [c.id, c.provider]));
  // The timeline names each event's record as its provider does (its id there), not by our internal id.
  const externalIdOf = new Map(person.candidates.map((c) => [c.id, c.externalId]));

  const record = (c: PersonRecord, nested = false) => (
    <li key={c.id} className={`flex flex-wrap items-center gap-x-3 gap-y-1 py-2 ${nested ? "ml-6 border-l-2 border-fuchsia-200 pl-3" : ""}`}>
      <ProviderBadge provider={c.provider} />
      <Link href={`/candidates/${encodeURIComponent(c.id)}`} className="min-w-0 break-all text-sm font-medium text-slate-900 underline underline-offset-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">
        {c.name ?? c.externalId}
      </Link>
      <span className="break-all font-mono text-xs text-slate-500">{c.externalId}</span>
      <StatusPill status={c.status as CandidateStatus} />
      {nested ? <span className="text-xs text-fuchsia-800">merged into the record above</span> : null}
      <span className="w-full text-xs text-slate-600 sm:w-auto">{linkText(c)}</span>
      {canWrite && person.candidates.length > 1 ? (
        <button
          type="button"
          disabled={action.isPending}
          onClick={() => action.mutate({ action: "unlink", candidateId: c.id })}
          aria-label={`Unlink ${c.name ?? c.externalId} (${c.provider}) from this person`}
          className="ml-auto rounded border border-slate-300 px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
        >
          Unlink
        </button>
      ) : null}
    </li>
  );

  return (
    <div className="space-y-6">
      <header className="space-y-2">
        <p className="text-sm">
          <Link href="/people" className="text-slate-600 underline underline-offset-2">
            People
          </Link>
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="min-w-0 break-words text-xl font-semibold tracking-tight text-slate-900">{person.name ?? person.emails[0] ?? "Unnamed person"}</h1>
          <StatusPill status={person.status as CandidateStatus} size="md" />
        </div>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="font-medium text-slate-600">Emails</dt>
          <dd className="min-w-0 break-all text-slate-900">{person.emails.join(", ") || "—"}</dd>
          <dt className="font-medium text-slate-600">Phones</dt>
          <dd className="min-w-0 break-all text-slate-900">{person.phones.join(", ") || "—"}</dd>
          <dt className="font-medium text-slate-600">Last activity</dt>
          <dd className="text-slate-900">
            <Time iso={person.lastEventAt} />
          </dd>
        </dl>
        {action.isError ? (
          <p role="alert" className="text-sm text-red-700">
            {action.error.message}
          </p>
        ) : null}
      </header>

      <section aria-labelledby="records-heading">
        <h2 id="records-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          Records ({person.candidates.length})
        </h2>
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white px-4">
          {survivors.map((c) => [record(c), ...mergedUnder(c.id).map((m) => record(m, true))])}
        </ul>
      </section>

      <section aria-labelledby="applications-heading">
        <h2 id="applications-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          Applications
        </h2>
        {person.applications.length === 0 ? (
          <p className="text-sm text-slate-600">No stage seen yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white px-4">
            {person.applications.map((a) => (
              <li key={`${a.candidateId}:${a.jobKey}`} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
                <ProviderBadge provider={a.provider} />
                <span className="min-w-0 break-words font-medium text-slate-900">{a.jobTitle ?? (a.jobKey || "No job named")}</span>
                <span className="text-slate-700">{a.stage}</span>
                <StatusPill status={a.status as JobStatus} />
                <span className="text-xs text-slate-500">
                  since <Time iso={a.since} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <Suggestions personId={person.id} canWrite={canWrite} />

      <PersonTimeline personId={person.id} providerOf={providerOf} externalIdOf={externalIdOf} />
    </div>
  );
}

function Suggestions({ personId, canWrite }: { personId: string; canWrite: boolean }) {
  const suggestions = usePersonSuggestions(personId);
  const action = usePersonAction(personId);
  const list = suggestions.data?.suggestions ?? [];
  if (suggestions.isPending || list.length === 0) return null;
  return (
    <section aria-labelledby="suggestions-heading">
      <h2 id="suggestions-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
        May be the same person
      </h2>
      <ul className="divide-y divide-slate-100 rounded-lg border border-amber-200 bg-amber-50 px-4">
        {list.map((s) => (
          <li key={s.candidate.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
            <ProviderBadge provider={s.candidate.provider} />
            <Link href={`/candidates/${encodeURIComponent(s.candidate.id)}`} className="min-w-0 break-all font-medium text-slate-900 underline underline-offset-2">
              {s.candidate.name ?? s.candidate.externalId}
            </Link>
            <span className="break-all text-xs text-slate-700">
              {s.reasons.map((r) => (r.rule === "phone" ? `same phone ${r.detail}` : `same name, job ${r.detail}`)).join("; ")}
            </span>
            {canWrite ? (
              <span className="ml-auto flex gap-2">
                <button
                  type="button"
                  disabled={action.isPending}
                  onClick={() => action.mutate({ action: "suggestions/accept", candidateId: s.candidate.id })}
                  className="rounded bg-slate-900 px-2 py-0.5 text-xs font-medium text-white hover:bg-slate-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                >
                  Link
                </button>
                <button
                  type="button"
                  disabled={action.isPending}
                  onClick={() => action.mutate({ action: "suggestions/dismiss", candidateId: s.candidate.id })}
                  className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                >
                  Dismiss
                </button>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Every record's events by event time, each marked with its provider; diffs are per record (the event card's own). */
function PersonTimeline({ personId, providerOf, externalIdOf }: { personId: string; providerOf: Map<string, string>; externalIdOf: Map<string, string> }) {
  const [noise, setNoise] = useState(false);
  const timeline = usePersonTimeline(personId, noise);
  const events = useMemo(() => timeline.data?.pages.flatMap((p) => p.events) ?? [], [timeline.data]);
  return (
    <section aria-labelledby="person-timeline-heading" className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h2 id="person-timeline-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          Timeline
        </h2>
        <span className="text-xs text-slate-500">every record&apos;s events, newest first</span>
        <BookkeepingToggle checked={noise} onChange={setNoise} />
      </div>
      {timeline.isPending ? (
        <SkeletonRows rows={4} />
      ) : timeline.isError && !timeline.data ? (
        <ErrorState message={timeline.error.message} onRetry={() => timeline.refetch()} />
      ) : events.length === 0 ? (
        <EmptyState title="No events yet" />
      ) : (
        <ol className="space-y-2" aria-label="Events of every record">
          {events.map((event) => (
            <li key={event.id} data-provider={event.provider} className="space-y-1">
              <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
                <span className="rounded bg-slate-100 px-1.5 py-0.5 ring-1 ring-inset ring-slate-200">
                  <ProviderBadge provider={event.provider} />
                </span>
                <Link href={`/candidates/${encodeURIComponent(event.candidateId)}`} className="underline underline-offset-2">
                  record {providerOf.has(event.candidateId) ? "" : "(merged) "}
                  <span className="font-mono">{externalIdOf.get(event.candidateId) ?? event.candidateId}</span>
                </Link>
              </p>
              <TimelineEvent event={event} candidateId={event.candidateId} noise={noise} />
            </li>
          ))}
        </ol>
      )}
      {timeline.hasNextPage ? (
        <button
          type="button"
          onClick={() => timeline.fetchNextPage()}
          disabled={timeline.isFetchingNextPage}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
        >
          {timeline.isFetchingNextPage ? "Loading…" : "Load older"}
        </button>
      ) : null}
    </section>
  );
}
