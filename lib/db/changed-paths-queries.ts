/**
 * SQL for `events.changed_paths` and the derived stage move stored with it (see
 * lib/jobs/changed-paths-fill.ts and the migrations 20261123201052_events_changed_paths and
 * 20261123202703_events_derived_stage): finding events whose values are missing, locking their
 * candidates, reading what the fold needs, writing the values, clearing values of another version.
 * Plain SQL on the shared pool (or PGlite): the fill touches every event once, Prisma's per-row
 * cost is not worth paying there.
 */
import type { HistoryEvent } from "../history/build-timeline";
import type { EventKey, StageTransition } from "../history/types";
import { toDate } from "./sql-values";
import type { Sql } from "./sql";

export interface FillEventRow extends HistoryEvent, EventKey {
  provider: string;
  type: string;
  jobId: string | null;
  stageFrom: string | null;
  stageTo: string | null;
  /** changed_paths is NULL: the fill writes this one. */
  missing: boolean;
}

interface RawEventRow {
  id: string;
  candidate_id: string;
  provider: string;
  type: string;
  job_id: string | null;
  stage_from: string | null;
  stage_to: string | null;
  provider_event: string | null;
  snapshot: unknown;
  details: unknown;
  occurred_at: Date | string;
  received_at: Date | string;
  missing?: boolean;
}

const json = (v: unknown) => JSON.stringify(v);

function toRow(r: RawEventRow): FillEventRow {
  return {
    id: r.id,
    candidateId: r.candidate_id,
    provider: r.provider,
    type: r.type,
    jobId: r.job_id,
    stageFrom: r.stage_from,
    stageTo: r.stage_to,
    providerEvent: r.provider_event,
    snapshot: r.snapshot ?? null,
    details: r.details ?? null,
    occurredAt: toDate(r.occurred_at),
    receivedAt: toDate(r.received_at),
    missing: r.missing ?? false,
  };
}

export interface MissingEvent extends EventKey {
  candidateId: string;
}

/** Events whose values are missing, oldest first (history order) after `after` (the partial index). */
export async function listEventsMissingPaths(sql: Sql, after: EventKey | null, limit: number): Promise<MissingEvent[]> {
  const take = Math.max(1, Math.floor(limit));
  const rows = await sql.query<{ id: string; candidate_id: string; occurred_at: Date | string; received_at: Date | string }>(
    after
      ? {
          text: `SELECT id, candidate_id, occurred_at, received_at FROM events
                 WHERE changed_paths IS NULL AND (occurred_at, received_at, id) > ($1::timestamptz, $2::timestamptz, $3)
                 ORDER BY occurred_at, received_at, id LIMIT $4`,
          params: [after.occurredAt.toISOString(), after.receivedAt.toISOString(), after.id, take],
        }
      : {
          text: `SELECT id, candidate_id, occurred_at, received_at FROM events WHERE changed_paths IS NULL
                 ORDER BY occurred_at, received_at, id LIMIT $1`,
          params: [take],
        },
  );
  return rows.map((r) => ({ id: r.id, candidateId: r.candidate_id, occurredAt: toDate(r.occurred_at), receivedAt: toDate(r.received_at) }));
}

/**
 * Locks the candidate rows the fill will write for (in the caller's transaction), skipping those
 * another transaction holds: a writer of their events (foreign-key check, or the invalidation
 * trigger) or another instance's fill. Returns the ids locked.
 */
export async function lockCandidatesForFill(tx: Sql, candidateIds: string[]): Promise<string[]> {
  if (candidateIds.length === 0) return [];
  const rows = await tx.query<{ id: string }>({
    text: `SELECT id FROM candidates WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY id FOR UPDATE SKIP LOCKED`,
    params: [json(candidateIds)],
  });
  return rows.map((r) => r.id);
}

const keyJson = (k: EventKey) => ({ occurred_at: k.occurredAt.toISOString(), received_at: k.receivedAt.toISOString(), id: k.id });

/**
 * Per candidate, its events from `first` to `last` (inclusive, history order), with what the fold
 * needs: the window of its history a fill batch covers.
 */
export async function readCandidateWindows(tx: Sql, windows: { candidateId: string; first: EventKey; last: EventKey }[]): Promise<FillEventRow[]> {
  if (windows.length === 0) return [];
  const rows = await tx.query<RawEventRow>({
    text: `SELECT e.id, e.candidate_id, e.provider, e.type, e.job_id, e.stage_from, e.stage_to, e.provider_event, e.snapshot, e.details,
                  e.occurred_at, e.received_at, (e.changed_paths IS NULL) AS missing
           FROM jsonb_to_recordset($1::jsonb) AS w(candidate_id text, first jsonb, last jsonb)
           CROSS JOIN LATERAL (
             SELECT x.* FROM events x
             WHERE x.candidate_id = w.candidate_id
               AND (x.occurred_at, x.received_at, x.id) >= ((w.first->>'occurred_at')::timestamptz, (w.first->>'received_at')::timestamptz, w.first->>'id')
               AND (x.occurred_at, x.received_at, x.id) <= ((w.last->>'occurred_at')::timestamptz, (w.last->>'received_at')::timestamptz, w.last->>'id')
             ORDER BY x.occurred_at, x.received_at, x.id
           ) e
           ORDER BY e.candidate_id, e.occurred_at, e.received_at, e.id`,
    params: [json(windows.map((w) => ({ candidate_id: w.candidateId, first: keyJson(w.first), last: keyJson(w.last) })))],
  });
  return rows.map(toRow);
}

/**
 * For each request (an event: its candidate and key): up to `take` of the candidate's events with
 * a snapshot before the key, newest first (the chain stateFromPredecessors folds), by request id.
 */
export async function readSnapshotPredecessors(
  tx: Sql,
  requests: { requestId: string; candidateId: string; key: EventKey }[],
  take: number,
): Promise<Map<string, FillEventRow[]>> {
  const out = new Map<string, FillEventRow[]>();
  if (requests.length === 0) return out;
  const rows = await tx.query<RawEventRow & { request_id: string }>({
    text: `SELECT k.request_id, p.id, p.candidate_id, p.provider, p.type, p.job_id, p.stage_from, p.stage_to, p.provider_event, p.snapshot, p.details,
                  p.occurred_at, p.received_at
           FROM jsonb_to_recordset($1::jsonb) AS k(request_id text, candidate_id text, occurred_at timestamptz, received_at timestamptz, id text)
           CROSS JOIN LATERAL (
             SELECT x.* FROM events x
             WHERE x.candidate_id = k.candidate_id AND x.snapshot IS NOT NULL
               AND (x.occurred_at, x.received_at, x.id) < (k.occurred_at, k.received_at, k.id)
             ORDER BY x.occurred_at DESC, x.received_at DESC, x.id DESC LIMIT $2
           ) p
           ORDER BY k.request_id, p.occurred_at DESC, p.received_at DESC, p.id DESC`,
    params: [json(requests.map((r) => ({ request_id: r.requestId, candidate_id: r.candidateId, ...keyJson(r.key) }))), Math.max(1, Math.floor(take))],
  });
  for (const r of rows) {
    const list = out.get(r.request_id);
    if (list) list.push(toRow(r));
    else out.set(r.request_id, [toRow(r)]);
  }
  return out;
}

/** For each stage the events state, the stage the same job was in just before (by history order, not arrival). */
export async function readStageTransitions(sql: Sql, eventIds: string[]): Promise<StageTransition[]> {
  if (eventIds.length === 0) return [];
  return sql.query<StageTransition>({
    text: `SELECT es.event_id, es.job_key, es.job_title, es.stage,
             (SELECT p.stage FROM event_stages p
               WHERE p.candidate_id = es.candidate_id AND p.job_key = es.job_key
                 AND (p.occurred_at, p.received_at, p.event_id) < (es.occurred_at, es.received_at, es.event_id)
               ORDER BY p.occurred_at DESC, p.received_at DESC, p.event_id DESC LIMIT 1) AS prev_stage
           FROM event_stages es
           WHERE es.event_id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
    params: [json(eventIds)],
  });
}

/** readStageTransitions, by event id (an event names one stage per job). */
export async function stageTransitionsByEvent(sql: Sql, eventIds: string[]): Promise<Map<string, StageTransition[]>> {
  const byEvent = new Map<string, StageTransition[]>();
  for (const t of await readStageTransitions(sql, eventIds)) {
    const list = byEvent.get(t.event_id);
    if (list) list.push(t);
    else byEvent.set(t.event_id, [t]);
  }
  return byEvent;
}

export interface StoredValues {
  id: string;
  paths: string;
  stageFrom: string | null;
  stageTo: string | null;
}

/** Writes computed values where they are still missing. Returns the number of rows written. */
export async function writeChangedPaths(tx: Sql, values: StoredValues[], version: number): Promise<number> {
  if (values.length === 0) return 0;
  const rows = await tx.query<{ id: string }>({
    text: `UPDATE events e SET changed_paths = v.paths, changed_paths_version = $2,
             derived_stage_from = v.stage_from, derived_stage_to = v.stage_to
           FROM jsonb_to_recordset($1::jsonb) AS v(id text, paths text, stage_from text, stage_to text)
           WHERE e.id = v.id AND e.changed_paths IS NULL
           RETURNING e.id`,
    params: [json(values.map((v) => ({ id: v.id, paths: v.paths, stage_from: v.stageFrom, stage_to: v.stageTo }))), version],
  });
  return rows.length;
}

/**
 * Sets stored paths of another version back to NULL, for events with id after `afterId` (keyset
 * over the primary key, `limit` ids per call). Returns the last id looked at (null: done) and the
 * number cleared.
 */
export async function clearOtherVersions(sql: Sql, version: number, afterId: string | null, limit: number): Promise<{ lastId: string | null; cleared: number }> {
  const rows = await sql.query<{ last_id: string | null; cleared: number | string }>({
    text: `WITH span AS (
             SELECT id FROM events WHERE ($1::text IS NULL OR id > $1) ORDER BY id LIMIT $3
           ), cleared AS (
             UPDATE events e SET changed_paths = NULL
             FROM span WHERE e.id = span.id AND e.changed_paths IS NOT NULL AND e.changed_paths_version IS DISTINCT FROM $2
             RETURNING e.id
           )
           SELECT (SELECT max(id) FROM span) AS last_id, (SELECT count(*) FROM cleared)::int AS cleared`,
    params: [afterId, version, Math.max(1, Math.floor(limit))],
  });
  return { lastId: rows[0]?.last_id ?? null, cleared: Number(rows[0]?.cleared ?? 0) };
}

/** How many events miss their paths (progress, tests, the bench). */
export async function countMissingPaths(sql: Sql): Promise<number> {
  const rows = await sql.query<{ n: number | string }>({ text: `SELECT count(*)::int AS n FROM events WHERE changed_paths IS NULL` });
  return Number(rows[0]?.n ?? 0);
}
