import type { EventKey } from "../history/types";
import type { PrismaClient } from "./generated/client";
import { eventSelect } from "./event-queries";
import { readEventPage } from "./event-rows";
import type { Sql, SqlParam } from "./sql";
import { toDate } from "./sql-values";

const order = [{ occurredAt: "desc" }, { receivedAt: "desc" }, { id: "desc" }] as const;

/**
 * Newest first, events of the candidate and of candidates merged into it, with their snapshots: plain
 * SQL (lib/db/event-rows.ts). One candidate is a range of its (candidate_id, occurred_at, …) index;
 * several are read together and sorted.
 */
export async function getTimelinePage(sql: Sql, candidateIds: string[], limit: number, cursor?: EventKey) {
  const params: SqlParam[] = [];
  const param = (value: SqlParam) => {
    params.push(value);
    return `$${params.length}`;
  };
  const and = [
    candidateIds.length === 1
      ? `e.candidate_id = ${param(candidateIds[0])}`
      : `e.candidate_id IN (SELECT jsonb_array_elements_text(${param(JSON.stringify(candidateIds))}::jsonb))`,
  ];
  if (cursor) {
    and.push(`(e.occurred_at, e.received_at, e.id) < (${param(cursor.occurredAt.toISOString())}::timestamptz, ${param(cursor.receivedAt.toISOString())}::timestamptz, ${param(cursor.id)})`);
  }
  const rows = await readEventPage(
    sql,
    { text: `SELECT e.id FROM events e WHERE ${and.join(" AND ")} ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC LIMIT ${Math.max(1, Math.floor(limit)) + 1}`, params },
    { withSnapshot: true },
  );
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/**
 * Every stage observation of the candidate, per job in history order: the stage path and time in
 * stage. Plain SQL: a candidate with a long history has hundreds, and Prisma's client costs more per
 * row than the index range they are read from.
 */
export async function getStageObservations(sql: Sql, candidateId: string) {
  const rows = await sql.query<{ job_key: string; job_title: string | null; stage: string; occurred_at: Date | string; event_id: string }>({
    name: "stage_observations_of_candidate",
    text: `SELECT job_key, job_title, stage, occurred_at, event_id FROM event_stages WHERE candidate_id = $1
           ORDER BY job_key, occurred_at, received_at, event_id`,
    params: [candidateId],
  });
  return rows.map((r) => ({ jobKey: r.job_key, jobTitle: r.job_title, stage: r.stage, occurredAt: toDate(r.occurred_at), eventId: r.event_id }));
}

export function getLatestEventDetails(prisma: PrismaClient, candidateId: string, type: string) {
  return prisma.event.findFirst({
    where: { candidateId, type },
    orderBy: [...order],
    select: { id: true, details: true, occurredAt: true },
  });
}

/** One event as a timeline page row, when it belongs to one of these candidates. */
export function getTimelineEvent(prisma: PrismaClient, candidateIds: string[], eventId: string) {
  return prisma.event.findFirst({
    where: { id: eventId, candidateId: { in: candidateIds } },
    select: { ...eventSelect, snapshot: true },
  });
}
