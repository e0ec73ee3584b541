"use client";

import Link from "next/link";
import { useId, useState } from "react";
import type { TimelineEvent as TimelineEventView } from "@/lib/contracts/responses";
import { ChangeRows } from "@/components/diff/change-rows";
import { PagedChanges } from "@/components/diff/paged-changes";
import { EventTypeBadge } from "@/components/ui/badge";
import { formatDuration, Time } from "@/components/ui/time";
import { RawDelivery } from "./raw-delivery";
import { StageArrow } from "./stage-arrow";

/** Received time is shown only when it is more than a minute away from the occurred time. */
const NOTABLE_DELAY_MS = 60_000;

function jobLabel(job: { id: string | null; title: string | null }): string {
  return job.title ?? job.id ?? "—";
}

/** A note above the changes: where the before values come from, when that is not the previous state. */
function BasisNote({ event }: { event: TimelineEventView }) {
  if (event.diffBasis === "initial") {
    return (
      <p className="text-xs text-slate-600">
        <span className="rounded bg-sky-50 px-1.5 py-0.5 font-medium text-sky-800 ring-1 ring-inset ring-sky-200">First snapshot</span>{" "}
        the earliest state seen for this candidate{event.changeCount > 0 ? "; its fields are shown as added" : ""}.
      </p>
    );
  }
  if (event.diffBasis === "versioned" && event.changeCount > 0) {
    return <p className="text-xs text-slate-500">Before/after values as sent by the provider.</p>;
  }
  return null;
}

/** The footer's summary when nothing is listed: no changes, or no snapshot to compare. */
function emptyChangesText(event: TimelineEventView): string | null {
  if (event.changeCount > 0 || event.diffBasis === "initial") return null;
  if (event.diffBasis === "none") return "No candidate snapshot in this event.";
  return event.hiddenNoiseCount > 0 ? "No field changes besides bookkeeping." : "No field changes.";
}

/** "Showing 100 of 60,000 changes": the timeline carries an event's first changes only. */
function moreChangesText(event: TimelineEventView): string {
  const total = event.changeCount.toLocaleString("en-GB");
  return event.changes.length === 0 ? `${total} changes, too large to show inline.` : `Showing the first ${event.changes.length} of ${total} changes.`;
}

/** Something a reader would look for: a stage move or a listed field change (hidden bookkeeping is none). */
export function hasVisibleChange(event: TimelineEventView): boolean {
  return event.stage !== null || event.stageChanges.length > 0 || event.changeCount > 0;
}

const DERIVED_TITLE = "Stage move read from a snapshot: the provider sent an update, and the stage was compared with the previous one";

/**
 * A stage_changed event the provider did not send as one (idibu's updates, say): the stage move was
 * read from the snapshot. The title is the tooltip; the sr-only text says the same to a screen reader.
 */
function DerivedMark({ event }: { event: TimelineEventView }) {
  if (!event.stageDerived) return null;
  return (
    <span
      data-derived=""
      title={DERIVED_TITLE}
      className="rounded bg-violet-50 px-1.5 py-0.5 text-[11px] font-medium text-violet-800 ring-1 ring-inset ring-violet-200"
    >
      derived<span className="sr-only"> ({DERIVED_TITLE.toLowerCase()})</span>
    </span>
  );
}

/** One line per event: type, stage move or change count, job and time; a click opens the full card. */
function CompactEvent({ event, isNew, onExpand }: { event: TimelineEventView; isNew?: boolean; onExpand: () => void }) {
  const summary = emptyChangesText(event) ?? `${event.changeCount.toLocaleString("en-GB")} field change${event.changeCount === 1 ? "" : "s"}`;
  return (
    <article
      aria-label={`${event.type} event`}
      data-compact=""
      className={`rounded-md border bg-white ${isNew ? "border-sky-300 ring-2 ring-sky-100" : "border-slate-200"}`}
    >
      <button
        type="button"
        aria-expanded={false}
        onClick={onExpand}
        className="flex w-full min-w-0 flex-wrap items-center gap-x-3 gap-y-1 rounded-md px-3 py-1.5 text-left text-xs hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
      >
        <span aria-hidden className="text-slate-500">
          ▸
        </span>
        <EventTypeBadge type={event.type} inferred={event.typeInferred} />
        <DerivedMark event={event} />
        {event.stage ? <StageArrow from={event.stage.from} to={event.stage.to} /> : <span className="text-slate-600">{summary}</span>}
        {event.job ? <span className="min-w-0 truncate text-slate-600">{jobLabel(event.job)}</span> : null}
        {isNew ? <span className="rounded bg-sky-600 px-1.5 py-0.5 text-[10px] font-semibold uppercase tracking-wide text-white">new</span> : null}
        <span className="ml-auto text-slate-700">
          <Time iso={event.occurredAt} />
        </span>
      </button>
    </article>
  );
}

export function TimelineEvent({
  event,
  isNew,
  candidateId,
  noise = false,
  compact = false,
}: {
  event: TimelineEventView;
  isNew?: boolean;
  /** The candidate whose timeline this is (a merged event's own candidate id may differ). */
  candidateId: string;
  noise?: boolean;
  /** Start as one line; a click opens the card, which can be folded back. */
  compact?: boolean;
}) {
  const [expanded, setExpanded] = useState(false);
  if (compact && !expanded) return <CompactEvent event={event} isNew={isNew} onExpand={() => setExpanded(true)} />;
  return <EventCard event={event} isNew={isNew} candidateId={candidateId} noise={noise} onCollapse={compact ? () => setExpanded(false) : undefined} />;
}

function EventCard({
  event,
  isNew,
  candidateId,
  noise,
  onCollapse,
}: {
  event: TimelineEventView;
  isNew?: boolean;
  candidateId: string;
  noise: boolean;
  onCollapse?: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [allChanges, setAllChanges] = useState(false);
  const moreChanges = event.changeCount > event.changes.length;
  const caption = `Field changes in this ${event.type} event`;
  const panelId = useId();
  const delay = new Date(event.receivedAt).getTime() - new Date(event.occurredAt).getTime();
  const showReceived = Math.abs(delay) > NOTABLE_DELAY_MS;
  // stageChanges lists every job whose stage moved; show it when it says more than `stage` does.
  const extraStageChanges =
    event.stageChanges.length > 1 ||
    (event.stageChanges.length === 1 && (event.stageChanges[0].to !== event.stage?.to || event.stageChanges[0].from !== event.stage?.from));

  return (
    <article
      aria-label={`${event.type} event`}
      tabIndex={-1}
      className={`rounded-lg border bg-white shadow-xs transition-colors focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 ${isNew ? "border-sky-300 ring-2 ring-sky-100" : "border-slate-200"}`}
    >
      <div className="space-y-2 px-4 py-3">
        <header className="flex flex-wrap items-start gap-x-3 gap-y-1">
          {/* basis-48: on a phone the times wrap under the event name instead of squeezing it. */}
          <div className="flex min-w-0 flex-1 basis-48 flex-wrap items-center gap-2">
            <EventTypeBadge type={event.type} inferred={event.typeInferred} />
            {event.typeInferred ? <span className="text-xs text-slate-500">type inferred</span> : null}
            <DerivedMark event={event} />
            {event.providerEvent ? (
              <code className="min-w-0 break-all font-mono text-xs text-slate-500" title="the provider's event name">
                {event.providerEvent}
              </code>
            ) : null}
            {isNew ? <span className="rounded bg-sky-600 px-1.5 py-0.5 text-[10px] font-semibold uppercase tracking-wide text-white">new</span> : null}
            {event.mergedFrom ? (
              <span className="inline-flex items-center gap-1 rounded bg-fuchsia-50 px-1.5 py-0.5 text-xs text-fuchsia-800 ring-1 ring-inset ring-fuchsia-200">
                from merged candidate
                <Link
                  href={`/candidates/${encodeURIComponent(event.mergedFrom.candidateId)}`}
                  className="font-mono underline underline-offset-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                >
                  {event.mergedFrom.externalId}
                </Link>
              </span>
            ) : null}
          </div>
          <div className="shrink-0 text-xs text-slate-700 sm:text-right">
            {onCollapse ? (
              <button
                type="button"
                aria-expanded
                onClick={onCollapse}
                autoFocus
                className="mb-1 rounded-md px-2 py-0.5 font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
              >
                <span aria-hidden>▾ </span>
                Collapse
              </button>
            ) : null}
            <div>
              <span className="sr-only">occurred </span>
              <Time iso={event.occurredAt} />
            </div>
            {showReceived ? (
              <div className="text-slate-500">
                received <Time iso={event.receivedAt} /> ({delay >= 0 ? "+" : "−"}
                {formatDuration(Math.abs(delay))})
              </div>
            ) : null}
          </div>
        </header>

        {event.actor || event.job || event.stage ? (
          <dl className="flex flex-wrap items-center gap-x-5 gap-y-1.5 text-xs text-slate-600">
            {event.stage ? (
              <div className="flex min-w-0 items-center gap-1.5">
                <dt className="text-slate-500">Stage</dt>
                <dd className="min-w-0">
                  <StageArrow from={event.stage.from} to={event.stage.to} />
                </dd>
              </div>
            ) : null}
            {event.job ? (
              <div className="flex min-w-0 items-center gap-1.5">
                <dt className="text-slate-500">Job</dt>
                <dd className="min-w-0 break-words text-slate-800" title={event.job.id ? `job id ${event.job.id}` : undefined}>
                  {jobLabel(event.job)}
                  {event.job.title && event.job.id ? <span className="ml-1 font-mono text-slate-500">{event.job.id}</span> : null}
                </dd>
              </div>
            ) : null}
            {event.actor ? (
              <div className="flex min-w-0 items-center gap-1.5">
                <dt className="text-slate-500">By</dt>
                <dd className="min-w-0 break-words text-slate-800">{event.actor}</dd>
              </div>
            ) : null}
          </dl>
        ) : null}

        {extraStageChanges ? (
          <div className="text-xs text-slate-600">
            <p className="text-slate-500">Stage changes per job</p>
            <ul className="mt-1 space-y-1">
              {event.stageChanges.map((c, i) => (
                <li key={`${c.jobId}-${i}`} className="flex flex-wrap items-center gap-2">
                  <span className="min-w-0 break-words text-slate-800">{c.jobTitle ?? c.jobId ?? "No job"}</span>
                  <StageArrow from={c.from} to={c.to} />
                </li>
              ))}
              {event.stageChangeCount > event.stageChanges.length ? (
                <li className="text-slate-500">and {(event.stageChangeCount - event.stageChanges.length).toLocaleString("en-GB")} more jobs (see the raw delivery)</li>
              ) : null}
            </ul>
          </div>
        ) : null}

        <BasisNote event={event} />
        {allChanges ? (
          <PagedChanges key={String(noise)} candidateId={candidateId} eventId={event.id} noise={noise} caption={caption} onCollapse={() => setAllChanges(false)} />
        ) : (
          <>
            <ChangeRows changes={event.changes} caption={caption} />
            {moreChanges ? (
              <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
                {moreChangesText(event)}
                <button
                  type="button"
                  onClick={() => setAllChanges(true)}
                  className="rounded-md px-2 py-1 font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                >
                  Show all {event.changeCount.toLocaleString("en-GB")} changes
                </button>
              </p>
            ) : null}
          </>
        )}

        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="text-xs text-slate-500">
            {[
              emptyChangesText(event),
              event.hiddenNoiseCount > 0 ? `${event.hiddenNoiseCount} bookkeeping change${event.hiddenNoiseCount === 1 ? "" : "s"} hidden` : null,
            ]
              .filter(Boolean)
              .join(" · ")}
          </p>
          <button
            type="button"
            aria-expanded={open}
            aria-controls={panelId}
            onClick={() => setOpen((v) => !v)}
            className="ml-auto inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
          >
            <span aria-hidden className={`inline-block transition-transform ${open ? "rotate-90" : ""}`}>
              ▸
            </span>
            Raw delivery
          </button>
        </div>
      </div>
      <div id={panelId} hidden={!open} className="border-t border-slate-200 bg-slate-50/60 p-4">
        {open ? <RawDelivery deliveryId={event.deliveryId} /> : null}
      </div>
    </article>
  );
}
