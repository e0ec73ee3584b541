import Link from "next/link";
import type { ReactNode } from "react";
import type { CandidateView } from "@/lib/contracts/responses";
import { ProviderBadge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { Time } from "@/components/ui/time";
import { StatusPill, TestBadge } from "./status-pill";

const linkClass = "font-medium underline underline-offset-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-0.5 min-w-0 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

/** Deleted / merged banners, with links to the other candidates. */
export function CandidateBanners({ candidate }: { candidate: CandidateView }) {
  return (
    <>
      {candidate.deletedAt ? (
        <div role="note" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
          <p>
            <span className="font-semibold">Deleted</span> in the provider on <Time iso={candidate.deletedAt} />. Its history is kept.
          </p>
          {candidate.deletedApplicationIds.length > 0 ? (
            <p className="mt-1 text-xs">
              Deleted applications: <span className="break-all font-mono">{candidate.deletedApplicationIds.join(", ")}</span>
            </p>
          ) : null}
        </div>
      ) : null}
      {candidate.mergedInto ? (
        <div role="note" className="rounded-lg border border-fuchsia-200 bg-fuchsia-50 px-4 py-3 text-sm text-fuchsia-900">
          <span className="font-semibold">Merged</span> into{" "}
          {candidate.mergedInto.id ? (
            <Link href={`/candidates/${encodeURIComponent(candidate.mergedInto.id)}`} className={linkClass}>
              {candidate.mergedInto.name ?? candidate.mergedInto.externalId}
            </Link>
          ) : (
            <span>{candidate.mergedInto.name ?? "a candidate not seen yet"}</span>
          )}{" "}
          <span className="font-mono text-xs">({candidate.mergedInto.externalId})</span>. Its later history continues there.
        </div>
      ) : null}
      {candidate.mergedFrom.length > 0 ? (
        <div role="note" className="rounded-lg border border-fuchsia-200 bg-fuchsia-50/60 px-4 py-3 text-sm text-fuchsia-900">
          <span className="font-semibold">Includes history merged from</span>{" "}
          {candidate.mergedFrom.map((m, i) => (
            <span key={m.id}>
              {i > 0 ? ", " : null}
              <Link href={`/candidates/${encodeURIComponent(m.id)}`} className={linkClass}>
                {m.name ?? m.externalId}
              </Link>{" "}
              <span className="font-mono text-xs">({m.externalId})</span>
            </span>
          ))}
          . Those events are marked in the timeline.
        </div>
      ) : null}
    </>
  );
}

/** Identity, key dates and the current stage per job. */
export function CandidateHeader({ candidate }: { candidate: CandidateView }) {
  const title = candidate.name ?? candidate.email ?? candidate.externalId;
  return (
    <header className="rounded-lg border border-slate-200 bg-white p-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight text-slate-900">
            <span className="min-w-0 break-words">{title}</span>
            <StatusPill status={candidate.status} size="md" />
            {candidate.isTest ? <TestBadge /> : null}
          </h1>
          {candidate.email && candidate.email !== title ? <p className="mt-0.5 break-all text-sm text-slate-600">{candidate.email}</p> : null}
          {!candidate.name ? <p className="mt-0.5 text-xs text-slate-500">No name in the provider&apos;s data</p> : null}
        </div>
      </div>

      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 md:grid-cols-3 lg:grid-cols-6">
        <Field label="Provider">
          <ProviderBadge provider={candidate.provider} />
        </Field>
        <Field label="External ID">
          <span className="flex min-w-0 items-center gap-2">
            <code className="min-w-0 truncate font-mono text-sm" title={candidate.externalId}>
              {candidate.externalId}
            </code>
            <CopyButton text={candidate.externalId} />
          </span>
        </Field>
        <Field label="First seen">
          <Time iso={candidate.firstSeenAt} className="text-sm" />
        </Field>
        <Field label="Last activity">
          <Time iso={candidate.lastEventAt} className="text-sm" />
        </Field>
        <Field label="Events">
          <span className="tabular-nums">{candidate.eventCount}</span>
        </Field>
        <Field label="Internal ID">
          <code className="block truncate font-mono text-xs text-slate-600" title={candidate.id}>
            {candidate.id}
          </code>
        </Field>
      </dl>

      <div className="mt-4 border-t border-slate-100 pt-3">
        <h2 className="text-xs text-slate-500">Current stage</h2>
        {candidate.currentStages.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600">{candidate.currentStage ?? "No stage seen"}</p>
        ) : (
          <ul className="mt-1.5 flex flex-wrap gap-2">
            {candidate.currentStages.map((s) => (
              <li
                key={s.jobKey}
                className="inline-flex min-w-0 max-w-full items-center gap-2 rounded-md bg-slate-50 px-2.5 py-1 text-sm ring-1 ring-inset ring-slate-200"
              >
                <span className="min-w-0 truncate text-slate-600" title={s.jobTitle ?? s.jobKey}>
                  {s.jobTitle ?? (s.jobKey || "No job")}
                </span>
                <span className="font-medium text-slate-900">{s.stage}</span>
                {s.status !== "active" && s.statusSince ? (
                  <span className="flex items-center gap-1 whitespace-nowrap text-xs text-slate-600">
                    <StatusPill status={s.status} /> <Time iso={s.statusSince} />
                  </span>
                ) : (
                  <span className="whitespace-nowrap text-xs text-slate-500">
                    since <Time iso={s.since} />
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </header>
  );
}
