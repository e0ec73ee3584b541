import Link from "next/link";
import type { CandidateListRow } from "@/lib/contracts/responses";
import { ProviderBadge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { StatusPill, TestBadge } from "./status-pill";

const MAX_STAGES = 3;

function StageCell({ candidate }: { candidate: CandidateListRow }) {
  if (candidate.stages.length === 0) {
    return candidate.currentStage ? <span className="text-slate-800">{candidate.currentStage}</span> : <span className="text-slate-400">—</span>;
  }
  const shown = candidate.stages.slice(0, MAX_STAGES);
  const more = candidate.stages.length - shown.length;
  return (
    <ul className="space-y-0.5">
      {shown.map((s) => {
        const job = s.jobTitle ?? (s.jobKey || null);
        return (
          <li key={s.jobKey} className="flex min-w-0 items-baseline gap-1.5" title={`${s.stage}${job ? ` · ${job}` : ""}`}>
            <span className="shrink-0 font-medium text-slate-800">{s.stage}</span>
            {s.status !== "active" && candidate.stages.length > 1 ? <span className="shrink-0 text-xs text-slate-600">({s.status})</span> : null}
            {job ? <span className="min-w-0 truncate text-xs text-slate-500">{job}</span> : null}
          </li>
        );
      })}
      {more > 0 ? <li className="text-xs text-slate-500">+{more} more job{more === 1 ? "" : "s"}</li> : null}
    </ul>
  );
}

export function CandidatesTable({ candidates, dimmed }: { candidates: CandidateListRow[]; dimmed?: boolean }) {
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <table className={`stack-on-phone w-full table-fixed text-left text-sm ${dimmed ? "opacity-60" : ""}`}>
        <caption className="sr-only">Candidates, most recent activity first</caption>
        <colgroup>
          <col className="w-[23%]" />
          <col className="w-[9%]" />
          <col className="w-[9%]" />
          <col className="w-[13%]" />
          <col className="w-[24%]" />
          <col className="w-[6%]" />
          <col className="w-[16%]" />
        </colgroup>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Candidate
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Provider
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              External ID
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Current stage
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Events
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Last activity
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {candidates.map((c) => {
            const inactive = Boolean(c.deletedAt || c.mergedIntoExternalId);
            const label = c.name ?? c.email ?? c.externalId;
            return (
              <tr key={c.id} className={`align-top max-sm:flex max-sm:flex-wrap max-sm:items-center max-sm:gap-x-3 max-sm:gap-y-1 max-sm:px-4 max-sm:py-3 ${inactive ? "bg-slate-50/80" : "hover:bg-slate-50"}`}>
                <td className="px-4 py-2.5 max-sm:basis-full max-sm:p-0">
                  <div className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
                    <Link
                      href={`/candidates/${encodeURIComponent(c.id)}`}
                      title={label}
                      className={`min-w-0 max-w-full truncate font-medium hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 ${
                        inactive ? "text-slate-500" : "text-slate-900"
                      } ${c.deletedAt ? "line-through decoration-slate-400" : ""}`}
                    >
                      {label}
                    </Link>
                    {c.isTest ? <TestBadge /> : null}
                  </div>
                  {c.email && c.email !== label ? (
                    <div className="truncate text-xs text-slate-500" title={c.email}>
                      {c.email}
                    </div>
                  ) : null}
                </td>
                <td className="px-3 py-2.5 max-sm:p-0">
                  <StatusPill
                    status={c.status}
                    title={c.mergedIntoExternalId && c.status === "merged" ? `merged into ${c.mergedIntoExternalId}` : c.deletedAt ? `deleted ${c.deletedAt}` : undefined}
                  />
                </td>
                <td className="px-3 py-2.5 max-sm:p-0">
                  <ProviderBadge provider={c.provider} />
                </td>
                <td className="px-3 py-2.5 max-sm:min-w-0 max-sm:p-0">
                  <code className="block truncate font-mono text-xs text-slate-700" title={c.externalId}>
                    {c.externalId}
                  </code>
                  {c.mergedInto ? (
                    c.mergedInto.id ? (
                      <Link
                        href={`/candidates/${c.mergedInto.id}`}
                        className="block truncate font-mono text-[11px] text-fuchsia-700 underline-offset-2 hover:underline"
                        title={`merged into ${c.mergedInto.name ?? c.mergedInto.externalId}`}
                      >
                        → {c.mergedInto.externalId}
                      </Link>
                    ) : (
                      <span className="block truncate font-mono text-[11px] text-fuchsia-700" title={`merged into ${c.mergedInto.externalId}`}>
                        → {c.mergedInto.externalId}
                      </span>
                    )
                  ) : null}
                </td>
                <td className="px-3 py-2.5 max-sm:basis-full max-sm:p-0">
                  <StageCell candidate={c} />
                </td>
                <td className="px-3 py-2.5 text-right tabular-nums text-slate-700 max-sm:p-0 max-sm:text-xs">
                  {c.eventCount}
                  <span className="sm:hidden"> {c.eventCount === 1 ? "event" : "events"} ·</span>
                </td>
                <td className="px-4 py-2.5 text-xs text-slate-700 max-sm:p-0">
                  <Time iso={c.lastEventAt} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
