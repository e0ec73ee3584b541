import { z } from "zod";
import { getCandidate } from "../db/candidates";
import { readSnapshotPredecessors, stageTransitionsByEvent } from "../db/changed-paths-queries";
import type { Db } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import type { Sql } from "../db/sql";
import {
  getLatestEventDetails,
  getStageObservations,
  getTimelineEvent,
  getTimelinePage,
} from "../db/timeline-queries";
import { computeChanges, type EventChanges, type HistoryEvent } from "../history/build-timeline";
import { historyConfigFor } from "../history/provider-config";
import { stageChanges as stageChangesOf, stageOf } from "../history/stage-move";
import { statesBefore, type StateBeforeRequest } from "../history/states-before";
import type { Change } from "../history/types";
import { buildStagePaths } from "../history/stage-path";
import type { AdminContext } from "../http/admin-route";
import { readQuery } from "../http/admin-route";
import { decodeCursor, encodeCursor } from "../http/cursor";
import { notFound } from "../http/errors";
import { getNamedCandidateView, getNamedTimeline } from "./stage-names";
import { timelineQuerySchema, eventChangesQuerySchema } from "../contracts/requests";

/**
 * What one timeline event carries inline. A webhook caller decides how many fields change (one
 * Talview update can change 60,000 keys), and the page's first timeline page is embedded in its
 * HTML: each event lists its first changes by path, up to a count and a size, with `changeCount`;
 * the rest are paged from the event's changes route.
 */
export const TIMELINE_CHANGES_PER_EVENT = 100;
const TIMELINE_CHANGE_CHARS_PER_EVENT = 32 * 1024;
/** Jobs whose stage moved, listed per event: an idibu body can carry thousands of vacancies. */
export const TIMELINE_STAGE_CHANGES_PER_EVENT = 20;
/** Details above this (Talview's previous snapshot, say) are left out of the timeline; the raw delivery keeps them. */
const TIMELINE_DETAILS_MAX_CHARS = 16 * 1024;

/** The candidate with its current stage per job, stage paths, merge links and deletion facts. */
export async function getCandidateView({ prisma, sql }: Pick<Db, "prisma" | "sql">, id: string, now = new Date()) {
  // Stage paths grow with the candidate's whole history: only the candidate endpoint builds them. Its
  // observations are read beside the candidate (one round trip; none found when there is no candidate).
  const [candidate, observations] = await Promise.all([getCandidateIdentity({ prisma, sql }, id), getStageObservations(sql, id)]);
  if (!candidate) return null;
  const stagePaths = buildStagePaths(observations, now, candidate.currentStages);
  const latestEntry = (path: (typeof stagePaths)[number]) => path.spans.at(-1)?.enteredAt.getTime() ?? 0;
  return { ...candidate, stagePaths: keepLatest(stagePaths, CANDIDATE_JOBS_SHOWN, latestEntry), stagePathCount: stagePaths.length };
}

/**
 * Jobs listed per candidate (current stages, stage paths). An unsigned idibu body can name thousands
 * of vacancies, each a job: 6,000 made an 18 MB candidate page. Real candidates have a handful.
 */
export const CANDIDATE_JOBS_SHOWN = 50;

/** The `max` items with the latest times, in their original order. */
function keepLatest<T>(items: T[], max: number, timeOf: (item: T) => number): T[] {
  if (items.length <= max) return items;
  const kept = new Set([...items].sort((a, b) => timeOf(b) - timeOf(a)).slice(0, max));
  return items.filter((item) => kept.has(item));
}

/** The candidate without its stage paths: what every timeline page carries. */
export async function getCandidateIdentity({ prisma, sql }: Pick<Db, "prisma" | "sql">, id: string) {
  const candidate = await getCandidate(sql, id);
  if (!candidate) return null;
  const deletion = candidate.deletedAt ? await getLatestEventDetails(prisma, id, "deleted") : null;
  const { stages, mergedIntoExternalId, mergedIntoTarget, mergedFrom, ...rest } = candidate;
  const deletionDetails = (deletion?.details ?? null) as { deletedApplicationIds?: string[] } | null;
  return {
    ...rest,
    currentStages: keepLatest(stages, CANDIDATE_JOBS_SHOWN, (stage) => stage.since.getTime()),
    currentStageCount: stages.length,
    mergedInto: mergedIntoExternalId ? { externalId: mergedIntoExternalId, id: mergedIntoTarget?.id ?? null, name: mergedIntoTarget?.name ?? null } : null,
    mergedFrom,
    deletedApplicationIds: deletionDetails?.deletedApplicationIds ?? [],
  };
}

export async function handleGetCandidate({ prisma, sql, params }: AdminContext<{ id: string }>) {
  const view = await getNamedCandidateView({ prisma, sql }, params.id);
  if (!view) throw notFound("candidate", params.id);
  return view;
}

export async function handleTimeline({ prisma, sql, params, url }: AdminContext<{ id: string }>) {
  const timeline = await getNamedTimeline({ prisma, sql }, params.id, readQuery(url, timelineQuerySchema));
  if (!timeline) throw notFound("candidate", params.id);
  return timeline;
}

/** One page of a candidate's timeline, newest first; null when there is no such candidate. */
export async function getTimeline({ prisma, sql }: Pick<Db, "prisma" | "sql">, id: string, query: z.infer<typeof timelineQuerySchema>) {
  const candidate = await getCandidateIdentity({ prisma, sql }, id);
  if (!candidate) return null;
  const sources = timelineSources(candidate).map((sourceId) => ({ id: sourceId, provider: candidate.provider }));
  const merged = new Map(candidate.mergedFrom.map((m) => [m.id, m]));
  return { candidate, ...(await getTimelineEvents({ prisma, sql }, sources, merged, query)) };
}

/**
 * One page of the events of several candidate records, newest first: a candidate's timeline (its
 * own events and its merged candidates'), or a person's (every record's). Diffs are derived per
 * record with its provider's rules; `merged` names the records whose events show under a survivor.
 */
export async function getTimelineEvents(
  { prisma, sql }: Pick<Db, "prisma" | "sql">,
  sources: { id: string; provider: string }[],
  merged: Map<string, { id: string; externalId: string }>,
  query: z.infer<typeof timelineQuerySchema>,
) {
  const cursor = query.cursor ? decodeCursor(query.cursor, ["date", "date", "string"]) : null;
  const sourceIds = sources.map((s) => s.id);
  const page = await getTimelinePage(
    sql,
    sourceIds,
    query.limit,
    cursor ? { occurredAt: cursor[0] as Date, receivedAt: cursor[1] as Date, id: cursor[2] as string } : undefined,
  );

  // Diffs are derived here from the ordered snapshots, per source candidate (a merged candidate's
  // snapshots are not compared with the survivor's), so they never depend on arrival order.
  const changes = new Map<string, EventChanges>();
  const ownBySource = sources
    .map((source) => ({ source, own: page.rows.filter((e) => e.candidateId === source.id).reverse() }))
    .filter((s) => s.own.length > 0);
  // The states before the page and the page's stage moves are independent reads: one round trip for both.
  const [bases, transitions] = await Promise.all([
    knownStatesBefore(
      sql,
      ownBySource.map(({ source, own }) => ({ ...own[0], provider: source.provider })),
    ),
    stageTransitionsByEvent(sql, page.rows.map((e) => e.id)),
  ]);
  for (const { source, own } of ownBySource) {
    const history = historyConfigFor(source.provider);
    for (const [eventId, value] of computeChanges(own as HistoryEvent[], bases.get(own[0].id), history)) changes.set(eventId, value);
  }

  const events = page.rows.map((e) => {
    const stageChanges = stageChangesOf(transitions.get(e.id) ?? []);
    const stage = stageOf(e, transitions.get(e.id) ?? []);
    const c = changes.get(e.id) ?? { changes: [], basis: "none" as const };
    const visible = visibleChanges(c.changes, query.noise);
    const source = merged.get(e.candidateId);
    const details = boundDetails(e.details);
    return {
      id: e.id,
      type: e.type,
      providerEvent: e.providerEvent,
      typeInferred: e.typeInferred,
      occurredAt: e.occurredAt,
      receivedAt: e.receivedAt,
      provider: e.provider,
      endpointId: e.endpointId,
      deliveryId: e.deliveryId,
      job: e.jobId || e.jobTitle ? { id: e.jobId, title: e.jobTitle } : null,
      applicationId: e.applicationId,
      stage,
      stageChanges: stageChanges.slice(0, TIMELINE_STAGE_CHANGES_PER_EVENT),
      stageChangeCount: stageChanges.length,
      stageDerived: e.stageDerived,
      actor: e.actor,
      details,
      detailsOmitted: details === null && e.details !== null,
      changes: takeInlineChanges(visible),
      changeCount: visible.length,
      hiddenNoiseCount: c.changes.length - visible.length,
      diffBasis: c.basis,
      mergedFrom: source ? { candidateId: source.id, externalId: source.externalId } : null,
      /** The record the event belongs to (a person's timeline interleaves several). */
      candidateId: e.candidateId,
    };
  });
  const last = page.rows.at(-1);
  return {
    events,
    nextCursor: page.hasMore && last ? encodeCursor([last.occurredAt, last.receivedAt, last.id]) : null,
  };
}

/** Whose events a candidate's timeline holds: its own and those of the candidates merged into it. */
function timelineSources(candidate: { id: string; mergedFrom: { id: string }[] }): string[] {
  return [candidate.id, ...candidate.mergedFrom.map((m) => m.id)];
}

/** The changes shown, on the wire, by path: PostgreSQL's jsonb stores keys shortest-first, so document order would read oddly. */
function visibleChanges(changes: Change[], noise: boolean) {
  return (noise ? changes : changes.filter((ch) => !ch.noise))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((ch) => ({ path: ch.path, kind: ch.kind, before: ch.before ?? null, after: ch.after ?? null, noise: ch.noise }));
}

/** The leading changes that fit an event's inline budget (possibly none, when the first is huge). */
function takeInlineChanges<T>(changes: T[]): T[] {
  let chars = 0;
  let count = 0;
  for (const change of changes) {
    if (count === TIMELINE_CHANGES_PER_EVENT) break;
    chars += JSON.stringify(change).length;
    if (chars > TIMELINE_CHANGE_CHARS_PER_EVENT) break;
    count++;
  }
  return changes.slice(0, count);
}

function boundDetails(details: unknown): unknown {
  if (details === null || details === undefined) return null;
  return JSON.stringify(details).length > TIMELINE_DETAILS_MAX_CHARS ? null : details;
}

export async function handleEventChanges({ prisma, sql, params, url }: AdminContext<{ id: string; eventId: string }>) {
  const page = await getEventChanges({ prisma, sql }, params.id, params.eventId, readQuery(url, eventChangesQuerySchema));
  if (!page) throw notFound("event of this candidate", params.eventId);
  return page;
}

/**
 * A page of one timeline event's changes, in the timeline's order and with the same noise rule:
 * `offset` counts from the first change, so the timeline's inline changes are offset 0 onwards.
 * Null when the candidate, or the event among its own and its merged candidates' events, is unknown.
 */
export async function getEventChanges({ prisma, sql }: Pick<Db, "prisma" | "sql">, candidateId: string, eventId: string, query: z.infer<typeof eventChangesQuerySchema>) {
  const candidate = await getCandidateIdentity({ prisma, sql }, candidateId);
  if (!candidate) return null;
  const event = await getTimelineEvent(prisma, timelineSources(candidate), eventId);
  if (!event) return null;
  const history = historyConfigFor(candidate.provider);
  const base = (await knownStatesBefore(sql, [{ ...event, provider: candidate.provider }])).get(event.id);
  const computed = computeChanges([event as HistoryEvent], base, history).get(event.id)!;
  const visible = visibleChanges(computed.changes, query.noise);
  const end = query.offset + query.limit;
  return {
    eventId: event.id,
    changeCount: visible.length,
    offset: query.offset,
    changes: visible.slice(query.offset, end),
    nextOffset: end < visible.length ? end : null,
  };
}

/** The known state before each of these events (lib/history/states-before.ts over the snapshot-predecessor query). */
function knownStatesBefore(sql: Sql, events: StateBeforeRequest[]): Promise<Map<string, unknown>> {
  return statesBefore(events, historyConfigFor, (requests, take) => readSnapshotPredecessors(sql, requests, take));
}
