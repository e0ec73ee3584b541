import { stageNamer, type NameStage, type StageNameRow } from "../history/stage-names";
import type { PrismaClient } from "./generated/client";
import type { Sql } from "./sql";

/**
 * Every stage name, newest first (the naming rule lets the first row win). Read once per request
 * that shows stages: a handful of rows per endpoint, so the whole table is read rather than joined.
 */
export async function readStageNames(sql: Sql): Promise<StageNameRow[]> {
  // Plain SQL, one statement prepared once per connection: every read that shows stages runs it, and
  // through Prisma it was two queries (names, then their endpoints) and ~1 ms of client CPU.
  const rows = await sql.query<{ endpoint_id: string; provider: string; stage_id: string; name: string }>({
    name: "stage_names_all",
    text: `SELECT s.endpoint_id, e.provider, s.stage_id, s.name FROM stage_names s JOIN endpoints e ON e.id = s.endpoint_id
           ORDER BY s.updated_at DESC, s.endpoint_id, s.stage_id`,
  });
  return rows.map((r) => ({ endpointId: r.endpoint_id, provider: r.provider, stageId: r.stage_id, name: r.name }));
}

/** The naming rule (lib/history/stage-names.ts) over the names stored now: what every read that shows a stage applies. */
export async function loadStageNames(sql: Sql): Promise<NameStage> {
  return stageNamer(await readStageNames(sql));
}

/** The endpoint's own names, by stage id. */
export async function endpointStageNames(prisma: PrismaClient, endpointId: string): Promise<Map<string, string>> {
  const rows = await prisma.stageName.findMany({ where: { endpointId }, select: { stageId: true, name: true } });
  return new Map(rows.map((r) => [r.stageId, r.name]));
}

/**
 * Names and removes names (an empty name), in one transaction. Upserts by (endpoint, stage id): the
 * primary key makes two concurrent saves of one stage end with one row.
 */
export async function saveStageNames(prisma: PrismaClient, endpointId: string, names: ReadonlyMap<string, string | null>): Promise<void> {
  const set = [...names].filter((entry): entry is [string, string] => entry[1] !== null);
  const removed = [...names].filter(([, name]) => name === null).map(([stageId]) => stageId);
  await prisma.$transaction([
    ...(removed.length > 0 ? [prisma.stageName.deleteMany({ where: { endpointId, stageId: { in: removed } } })] : []),
    ...set.map(([stageId, name]) =>
      prisma.stageName.upsert({
        where: { endpointId_stageId: { endpointId, stageId } },
        create: { endpointId, stageId, name },
        update: { name },
      }),
    ),
  ]);
}

/**
 * Every stage id the endpoint's events state (moved from, moved to, or stood in for a job), most
 * recently seen first, at most `limit`. Scans the endpoint's events (no index on endpoint_id: this
 * runs when someone opens the endpoint's page, not on ingest, which an index would slow).
 */
export async function seenStageIds(sql: Sql, endpointId: string, limit: number): Promise<{ stageId: string; lastSeenAt: Date }[]> {
  const rows = await sql.query<{ stage: string; last_seen: Date | string }>({
    text: `SELECT stage, max(at) AS last_seen FROM (
             SELECT e.stage_from AS stage, e.occurred_at AS at FROM events e WHERE e.endpoint_id = $1 AND e.stage_from IS NOT NULL
             UNION ALL
             SELECT e.stage_to, e.occurred_at FROM events e WHERE e.endpoint_id = $1 AND e.stage_to IS NOT NULL
             UNION ALL
             SELECT s.stage, s.occurred_at FROM event_stages s JOIN events e ON e.id = s.event_id WHERE e.endpoint_id = $1
           ) seen
           GROUP BY stage ORDER BY last_seen DESC, stage LIMIT $2`,
    params: [endpointId, limit],
  });
  return rows.map((r) => ({ stageId: r.stage, lastSeenAt: new Date(r.last_seen) }));
}

