import { z } from "zod";
import { getCandidate } from "../db/candidates";
import { stageTransitionsByEvent } from "../db/changed-paths-queries";
import type { Db } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import {
  findCandidateByExternalId,
  getLatestEventDetails,
  getMergedSources,
  getPredecessors,
  getStageObservations,
  getTimelinePage,
} from "../db/timeline-queries";
import { computeChanges, stateFromPredecessors, type HistoryEvent } from "../history/build-timeline";
import { buildStagePaths } from "../history/stage-path";
import type { AdminContext } from "../http/admin-route";
import { readQuery } from "../http/admin-route";
import { decodeCursor, encodeCursor } from "../http/cursor";
import { notFound } from "../http/errors";
import { getProvider } from "../providers/registry";

export const timelineQuerySchema = z.strictObject({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  noise: z.enum(["true", "false", "1", "0"]).default("false").transform((v) => v === "true" || v === "1"),
});

// The first predecessor is usually a full snapshot; partial chains (Outhire) read more per round.
const PREDECESSOR_BATCHES = [1, 20, 100];
const PREDECESSOR_MAX = 2_000;

/** The candidate with its current stage per job, stage paths, merge links and deletion facts. */
export async function getCandidateView(prisma: PrismaClient, id: string, now = new Date()) {
  const candidate = await getCandidateIdentity(prisma, id);
  if (!candidate) return null;
  // Stage paths grow with the candidate's whole history: only the candidate endpoint builds them.
  return { ...candidate, stagePaths: buildStagePaths(await getStageObservations(prisma, id), now, candidate.currentStages) };
}

/** The candidate without its stage paths: what every timeline page carries. */
export async function getCandidateIdentity(prisma: PrismaClient, id: string) {
  const candidate = await getCandidate(prisma, id);
  if (!candidate) return null;
  const [mergedFrom, mergedInto, deletion] = await Promise.all([
    getMergedSources(prisma, candidate.provider, candidate.externalId),
    candidate.mergedIntoExternalId ? findCandidateByExternalId(prisma, candidate.provider, candidate.mergedIntoExternalId) : null,
    candidate.deletedAt ? getLatestEventDetails(prisma, id, "deleted") : null,
  ]);
  const { stages, mergedIntoExternalId, ...rest } = candidate;
  const deletionDetails = (deletion?.details ?? null) as { deletedApplicationIds?: string[] } | null;
  return {
    ...rest,
    currentStages: stages,
    mergedInto: mergedIntoExternalId ? { externalId: mergedIntoExternalId, id: mergedInto?.id ?? null, name: mergedInto?.name ?? null } : null,
    mergedFrom,
    deletedApplicationIds: deletionDetails?.deletedApplicationIds ?? [],
  };
}

export async function handleGetCandidate({ prisma, params }: AdminContext<{ id: string }>) {
  const view = await getCandidateView(prisma, params.id);
  if (!view) throw notFound("candidate", params.id);
  return view;
}

export async function handleTimeline({ prisma, sql, params, url }: AdminContext<{ id: string }>) {
  const timeline = await getTimeline({ prisma, sql }, params.id, readQuery(url, timelineQuerySchema));
  if (!timeline) throw notFound("candidate", params.id);
  return timeline;
}

/** One page of a candidate's timeline, newest first; null when there is no such candidate. */
export async function getTimeline({ prisma, sql }: Pick<Db, "prisma" | "sql">, id: string, query: z.infer<typeof timelineQuerySchema>) {
  const candidate = await getCandidateIdentity(prisma, id);
  if (!candidate) return null;
  const history = getProvider(candidate.provider)?.history ?? { arrayKeys: {}, noise: [] };
  const cursor = query.cursor ? decodeCursor(query.cursor, ["date", "date", "string"]) : null;
  const sourceIds = [candidate.id, ...candidate.mergedFrom.map((m) => m.id)];
  const page = await getTimelinePage(
    prisma,
    sourceIds,
    query.limit,
    cursor ? { occurredAt: cursor[0] as Date, receivedAt: cursor[1] as Date, id: cursor[2] as string } : undefined,
  );

  // Diffs are derived here from the ordered snapshots, per source candidate (a merged candidate's
  // snapshots are not compared with the survivor's), so they never depend on arrival order.
  const changes = new Map<string, ReturnType<typeof computeChanges> extends Map<string, infer V> ? V : never>();
  for (const sourceId of sourceIds) {
    const own = page.rows.filter((e) => e.candidateId === sourceId).reverse();
    if (own.length === 0) continue;
    const base = await knownStateBefore(prisma, sourceId, own[0], history);
    for (const [eventId, value] of computeChanges(own as HistoryEvent[], base, history)) changes.set(eventId, value);
  }

  const transitions = await stageTransitionsByEvent(sql, page.rows.map((e) => e.id));
  const merged = new Map(candidate.mergedFrom.map((m) => [m.id, m]));

  const events = page.rows.map((e) => {
    const stageChanges = (transitions.get(e.id) ?? [])
      .filter((t) => t.prev_stage !== t.stage)
      .map((t) => ({ jobId: t.job_key || null, jobTitle: t.job_title, from: t.prev_stage, to: t.stage }))
      .sort((a, b) => (a.jobId ?? "").localeCompare(b.jobId ?? ""));
    const ownJob = (transitions.get(e.id) ?? []).find((t) => t.job_key === (e.jobId ?? ""));
    const stage =
      e.type === "stage_changed" && e.stageTo
        ? { from: e.stageFrom ?? ownJob?.prev_stage ?? null, to: e.stageTo }
        : stageChanges[0]
          ? { from: stageChanges[0].from, to: stageChanges[0].to }
          : null;
    const c = changes.get(e.id) ?? { changes: [], basis: "none" as const };
    const visible = query.noise ? c.changes : c.changes.filter((ch) => !ch.noise);
    const source = merged.get(e.candidateId);
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
      stageChanges,
      stageDerived: e.stageDerived,
      actor: e.actor,
      details: e.details,
      // By path: PostgreSQL's jsonb stores keys shortest-first, so document order would read oddly.
      changes: [...visible].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((ch) => ({ path: ch.path, kind: ch.kind, before: ch.before ?? null, after: ch.after ?? null, noise: ch.noise })),
      hiddenNoiseCount: c.changes.length - visible.length,
      diffBasis: c.basis,
      mergedFrom: source ? { candidateId: source.id, externalId: source.externalId } : null,
    };
  });
  const last = page.rows.at(-1);
  return {
    candidate,
    events,
    nextCursor: page.hasMore && last ? encodeCursor([last.occurredAt, last.receivedAt, last.id]) : null,
  };
}

async function knownStateBefore(
  prisma: PrismaClient,
  candidateId: string,
  first: { occurredAt: Date; receivedAt: Date; id: string },
  history: Parameters<typeof stateFromPredecessors>[1],
): Promise<unknown> {
  const collected: HistoryEvent[] = [];
  let key = first;
  for (let round = 0; collected.length < PREDECESSOR_MAX; round++) {
    const size = PREDECESSOR_BATCHES[Math.min(round, PREDECESSOR_BATCHES.length - 1)];
    const batch = await getPredecessors(prisma, candidateId, key, size);
    collected.push(...(batch as HistoryEvent[]));
    const result = stateFromPredecessors(collected, history);
    if (result.complete || batch.length < size) return result.state;
    key = batch.at(-1)!;
  }
  return stateFromPredecessors(collected, history).state;
}
