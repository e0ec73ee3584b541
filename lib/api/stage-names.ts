import type { z } from "zod";
import type { Db } from "../db/client";
import { getEndpoint } from "../db/endpoints";
import type { PrismaClient } from "../db/generated/client";
import { endpointStageNames, loadStageNames, saveStageNames, seenStageIds } from "../db/stage-names";
import type { Sql } from "../db/sql";
import type { NameStage } from "../history/stage-names";
import type { AdminContext } from "../http/admin-route";
import { readJson } from "../http/admin-route";
import { notFound } from "../http/errors";
import { putStageNamesSchema } from "../contracts/requests";
import type { timelineQuerySchema } from "../contracts/requests";
import { getCandidateView, getTimeline } from "./timeline";

/** Stage ids listed on an endpoint's page: far more than any pipeline has (idibu bodies name thousands of vacancies, not stages). */
const STAGES_LISTED = 1_000;

/** Where a candidate stands, as the candidate page and every timeline page carry it. */
interface CandidateStages {
  provider: string;
  currentStage: string | null;
  currentStages: { stage: string }[];
}

function nameCandidate<C extends CandidateStages>(candidate: C, nameStage: NameStage): C {
  // A candidate's current stage has no endpoint: the provider's names apply (lib/history/stage-names.ts).
  const at = { provider: candidate.provider };
  return { ...candidate, currentStage: nameStage(candidate.currentStage, at), currentStages: candidate.currentStages.map((s) => ({ ...s, stage: nameStage(s.stage, at) })) };
}

/**
 * The candidate page's view with stages by their names. The view is built from the stored ids (stage
 * paths group observations by id); names are put on on the way out, as everywhere stages are shown.
 */
export async function getNamedCandidateView({ prisma, sql }: Pick<Db, "prisma" | "sql">, id: string) {
  const [view, nameStage] = await Promise.all([getCandidateView({ prisma, sql }, id), loadStageNames(sql)]);
  if (!view) return null;
  return {
    ...nameCandidate(view, nameStage),
    stagePaths: view.stagePaths.map((path) => ({ ...path, spans: path.spans.map((span) => ({ ...span, stage: nameStage(span.stage, view) })) })),
  };
}

/** Timeline events with stages by their names: each event's by its own endpoint's names first. */
export function nameTimelineEvents<
  E extends { provider: string; endpointId: string; stage: { from: string | null; to: string | null } | null; stageChanges: { from: string | null; to: string | null }[] },
>(events: E[], nameStage: NameStage): E[] {
  const nameMove = <M extends { from: string | null; to: string | null }>(move: M, at: { provider: string; endpointId: string }): M => ({
    ...move,
    from: nameStage(move.from, at),
    to: nameStage(move.to, at),
  });
  return events.map((e) => ({ ...e, stage: e.stage ? nameMove(e.stage, e) : null, stageChanges: e.stageChanges.map((s) => nameMove(s, e)) }));
}

/** A timeline page with stages by their names. */
export async function getNamedTimeline(db: Pick<Db, "prisma" | "sql">, id: string, query: z.infer<typeof timelineQuerySchema>) {
  const [timeline, nameStage] = await Promise.all([getTimeline(db, id, query), loadStageNames(db.sql)]);
  if (!timeline) return null;
  return { ...timeline, candidate: nameCandidate(timeline.candidate, nameStage), events: nameTimelineEvents(timeline.events, nameStage) };
}

async function stageNamesView(prisma: PrismaClient, sql: Sql, endpointId: string) {
  const [names, seen] = await Promise.all([endpointStageNames(prisma, endpointId), seenStageIds(sql, endpointId, STAGES_LISTED)]);
  const stages: { stageId: string; name: string | null; lastSeenAt: Date | null }[] = seen.map((s) => ({
    stageId: s.stageId,
    name: names.get(s.stageId) ?? null,
    lastSeenAt: s.lastSeenAt,
  }));
  const listed = new Set(seen.map((s) => s.stageId));
  // Named before any event showed it (or beyond the listed ones): still listed, so it can be renamed or cleared.
  for (const [stageId, name] of [...names].sort(([a], [b]) => a.localeCompare(b))) {
    if (!listed.has(stageId)) stages.push({ stageId, name, lastSeenAt: null });
  }
  return { endpointId, names: Object.fromEntries([...names].sort(([a], [b]) => a.localeCompare(b))), stages };
}

export async function handleGetStageNames({ prisma, sql, params }: AdminContext<{ id: string }>) {
  if (!(await getEndpoint(prisma, params.id))) throw notFound("endpoint", params.id);
  return stageNamesView(prisma, sql, params.id);
}

export async function handlePutStageNames({ request, prisma, sql, params }: AdminContext<{ id: string }>) {
  const input = await readJson(request, putStageNamesSchema);
  if (!(await getEndpoint(prisma, params.id))) throw notFound("endpoint", params.id);
  const changes = new Map(Object.entries(input.names).map(([stageId, name]) => [stageId, name ? name : null]));
  await saveStageNames(prisma, params.id, changes);
  return stageNamesView(prisma, sql, params.id);
}
