import type { CandidateView } from "@/lib/contracts/responses";
import { formatDateTime, formatDuration, Time } from "@/components/ui/time";
import { StatusPill } from "./status-pill";

type StagePath = CandidateView["stagePaths"][number];

/** A long-lived candidate can pass through a stage hundreds of times; the most recent spans tell the story. */
const MAX_SPANS = 12;

function JobStagePath({ path }: { path: StagePath }) {
  const spans = path.spans.slice(-MAX_SPANS);
  const earlier = path.spans.length - spans.length;
  const longest = Math.max(1, ...spans.map((s) => s.durationMs));
  const total = path.spans.reduce((sum, s) => sum + s.durationMs, 0);
  const title = path.jobTitle ?? (path.jobKey || "No job");
  // A hired, rejected or withdrawn application's clock stopped when it closed.
  const closedAt = path.closedAt;
  return (
    <article className="min-w-0 rounded-lg border border-slate-200 bg-white p-4" aria-label={`Stages for ${title}`}>
      <header className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <h3 className="min-w-0 break-words text-sm font-medium text-slate-900">
          {title}
          {path.jobTitle && path.jobKey ? <span className="ml-2 font-mono text-xs font-normal text-slate-500">{path.jobKey}</span> : null}
        </h3>
        <span className="flex items-center gap-2 text-xs text-slate-500">
          {path.status !== "active" ? <StatusPill status={path.status} /> : null}
          {formatDuration(total)} in total
        </span>
      </header>

      <ol aria-label="Stage path" className="mt-3 flex flex-wrap items-center gap-y-1.5 text-xs">
        {earlier > 0 ? <li className="pr-1.5 text-slate-500">{earlier} earlier stage{earlier === 1 ? "" : "s"} …</li> : null}
        {spans.map((span, i) => {
          const current = span.leftAt === null;
          return (
            <li key={`${span.stage}-${span.enteredAt}`} className="flex items-center">
              {i > 0 ? (
                <span aria-hidden className="px-1.5 text-slate-400">
                  →
                </span>
              ) : null}
              <span
                className={`rounded px-1.5 py-0.5 ${current ? "bg-slate-900 font-medium text-white" : "bg-slate-100 text-slate-700"}`}
                aria-current={current ? "step" : undefined}
              >
                {span.stage}
              </span>
            </li>
          );
        })}
      </ol>

      <div className="mt-4">
        <p className="sr-only">Time in each stage</p>
        <ul className="space-y-1.5">
          {spans.map((span) => {
            const current = span.leftAt === null;
            const running = current && !closedAt;
            const pct = Math.max(0.75, (span.durationMs / longest) * 100);
            const end = span.leftAt ?? closedAt;
            const range = `${formatDateTime(span.enteredAt)} → ${end ? formatDateTime(end) : "now"}`;
            return (
              <li key={`${span.stage}-${span.enteredAt}`} className="grid grid-cols-[minmax(0,9rem)_minmax(0,1fr)_5.5rem] items-center gap-3 text-xs" title={range}>
                <span className="truncate text-slate-700" title={span.stage}>
                  {span.stage}
                </span>
                <span className="h-3 rounded-sm bg-slate-100">
                  <span
                    aria-hidden
                    className={`block h-3 rounded-sm ${running ? "bg-sky-500" : "bg-slate-400"}`}
                    style={{ width: `${pct}%` }}
                  />
                </span>
                <span className="text-right tabular-nums text-slate-700">
                  {formatDuration(span.durationMs)}
                  {running ? <span className="sr-only"> so far (current stage)</span> : null}
                </span>
              </li>
            );
          })}
        </ul>
        <p className="mt-2 text-[11px] text-slate-500">
          Entered {path.spans[0] ? <Time iso={path.spans[0].enteredAt} /> : "—"}
          {closedAt ? (
            <>
              {" · "}
              {path.status} <Time iso={closedAt} />: the clock stopped there
            </>
          ) : path.spans.at(-1)?.leftAt === null ? (
            " · blue: current stage, so far"
          ) : null}
        </p>
      </div>
    </article>
  );
}

/** Stage path per job with the time spent in each stage as proportional bars (no chart library). */
export function StagePaths({ paths }: { paths: StagePath[] }) {
  if (paths.length === 0) return null;
  return (
    <section aria-labelledby="stages-heading" className="space-y-3">
      <h2 id="stages-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
        Stages
      </h2>
      <div className={`grid gap-3 ${paths.length > 1 ? "lg:grid-cols-2" : ""}`}>
        {paths.map((path) => (
          <JobStagePath key={path.jobKey} path={path} />
        ))}
      </div>
    </section>
  );
}
