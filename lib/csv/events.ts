/**
 * The events CSV: columns, the row mapper and what each row derives from the history (the stage
 * transition as the timeline shows it, and `changed_fields`). Framework-free and pure.
 */
import { computeChanges, isPartial, type HistoryEvent } from "../history/build-timeline";
import { CHANGED_PATHS_SEPARATOR, changedFieldPaths } from "../history/changed-paths";
import type { HistoryConfig } from "../history/types";
import { CRLF, isoString, quoteField, textField } from "./writer";

export const EVENT_COLUMNS = [
  "event_id",
  "occurred_at",
  "received_at",
  "provider",
  "endpoint",
  "event_type",
  "candidate_id",
  "candidate_external_id",
  "candidate_name",
  "candidate_email",
  "job_id",
  "job_title",
  "stage_from",
  "stage_to",
  "actor",
  "changed_fields",
  "delivery_id",
] as const;

import type { ExportEvent } from "../db/export-queries";
import type { StageMove } from "../history/stage-move";
// The row shapes are the export query's (lib/db).
export type { ComputeFields, ExportEvent } from "../db/export-queries";

export { changedFieldPaths };

export function eventCsvRow(e: ExportEvent, stage: StageMove | null, changedFields: string | readonly string[]): string {
  // The cells of EVENT_COLUMNS as formatRow writes them, built directly: this runs once per exported row.
  return (
    textField(e.id) + "," +
    quoteField(isoString(e.occurredAt.getTime())) + "," +
    quoteField(isoString(e.receivedAt.getTime())) + "," +
    textField(e.provider) + "," +
    textField(e.endpointName ?? e.endpointId) + "," +
    textField(e.type) + "," +
    textField(e.candidateId) + "," +
    textField(e.candidateExternalId) + "," +
    textField(e.candidateName) + "," +
    textField(e.candidateEmail) + "," +
    textField(e.jobId) + "," +
    textField(e.jobTitle) + "," +
    textField(stage?.from ?? null) + "," +
    textField(stage?.to ?? null) + "," +
    textField(e.actor) + "," +
    textField(typeof changedFields === "string" ? changedFields : changedFields.join(CHANGED_PATHS_SEPARATOR)) + "," +
    textField(e.deliveryId) +
    CRLF
  );
}

/** Where a page's history has to start from: the state of the candidate before `event`. */
export interface StateRequest {
  event: Pick<ExportEvent, "id" | "candidateId" | "provider" | "occurredAt" | "receivedAt">;
}

function hasSnapshot(e: { snapshot: unknown }): boolean {
  return e.snapshot !== null && e.snapshot !== undefined;
}

function isVersioned(e: { details: unknown }): boolean {
  return e.details !== null && typeof e.details === "object" && !Array.isArray(e.details) && "previous" in e.details;
}

/**
 * Which events of a page need the candidate's known state before them. With `contiguous` (the
 * filters keep every event of a candidate inside the exported range: no `type`/`endpointId`), a
 * candidate's events in the page are consecutive in its history, so only its oldest event with a
 * snapshot needs one; otherwise each event with a snapshot is diffed against the state before it.
 * A full versioned snapshot (Talview `{old,new}`) carries its own previous state and needs none.
 */
export function stateRequests(pageNewestFirst: readonly ExportEvent[], contiguous: boolean, historyFor: (provider: string) => HistoryConfig): ExportEvent[] {
  const out: ExportEvent[] = [];
  const needs = (e: ExportEvent) => !(isVersioned(e) && !isPartial(e, historyFor(e.provider)));
  if (!contiguous) {
    for (const e of pageNewestFirst) if (hasSnapshot(e) && needs(e)) out.push(e);
    return out;
  }
  const oldest = new Map<string, ExportEvent>();
  for (const e of pageNewestFirst) if (hasSnapshot(e)) oldest.set(e.candidateId, e); // newest first: the last one wins
  for (const e of oldest.values()) if (needs(e)) out.push(e);
  return out;
}

/**
 * Each event's changed fields for one page: per candidate, its events oldest first folded from the
 * known state before the first (or, not contiguous, each event from the state before it), as
 * lib/api/timeline.ts does for a timeline page.
 */
export function pageChangedFields(
  pageNewestFirst: readonly ExportEvent[],
  statesBefore: ReadonlyMap<string, unknown>,
  contiguous: boolean,
  historyFor: (provider: string) => HistoryConfig,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const put = (result: ReturnType<typeof computeChanges>) => {
    for (const [id, c] of result) out.set(id, changedFieldPaths(c.changes));
  };
  if (!contiguous) {
    for (const e of pageNewestFirst) {
      if (!hasSnapshot(e)) continue;
      put(computeChanges([e as HistoryEvent], statesBefore.get(e.id), historyFor(e.provider)));
    }
    return out;
  }
  const byCandidate = new Map<string, ExportEvent[]>();
  for (let i = pageNewestFirst.length - 1; i >= 0; i--) {
    const e = pageNewestFirst[i];
    const list = byCandidate.get(e.candidateId);
    if (list) list.push(e);
    else byCandidate.set(e.candidateId, [e]);
  }
  for (const events of byCandidate.values()) {
    const first = events.find(hasSnapshot);
    if (!first) continue;
    put(computeChanges(events as HistoryEvent[], statesBefore.get(first.id), historyFor(events[0].provider)));
  }
  return out;
}
