/**
 * SQL for `events.changed_paths` (see lib/db/changed-paths-fill.ts and the migration
 * 20261123201052_events_changed_paths): finding events whose paths are missing, locking their
 * candidates, reading what the fold needs, writing the paths, clearing values of another version.
 * Plain SQL on the shared pool (or PGlite): the fill touches every event once, Prisma's per-row
 * cost is not worth paying there.
 */
import type { HistoryEvent } from "../history/build-timeline";
import type { Sql } from "./sql";

export interface EventKey {
  occurredAt: Date;
  receivedAt: Date;
  id: string;
}

export interface FillEventRow extends HistoryEvent, EventKey {
  provider: string;
  /** changed_paths is NULL: the fill writes this one. */
  missing: boolean;
}

interface RawEventRow {
  id: string;
  candidate_id: string;
  provider: string;
  provider_event: string | null;
  snapshot: unknown;
  details: unknown;
  occurred_at: Date | string;
  received_at: Date | string;
  missing?: boolean;
}

const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const json = (v: unknown) => JSON.stringify(v);

function toRow(r: RawEventRow): FillEventRow {
  return {
    id: r.id,
    candidateId: r.candidate_id,
    provider: r.provider,
    providerEvent: r.provider_event,
    snapshot: r.snapshot ?? null,
    details: r.details ?? null,
    occurredAt: toDate(r.occurred_at),
    receivedAt: toDate(r.received_at),
    missing: r.missing ?? false,
  };
}

/** Candidates with at least one event missing its paths, by id after `after` (from the partial index). */
export async function listCandidatesMissingPaths(sql: Sql, after: { id: string; inclusive: boolean } | null, limit: number): Promise<string[]> {
  const rows = await sql.query<{ candidate_id: string }>({
    text: `SELECT DISTINCT candidate_id FROM events
           WHERE changed_paths IS NULL AND ($1::text IS NULL OR candidate_id > $1 OR ($2 AND candidate_id = $1))
           ORDER BY candidate_id LIMIT $3`,
    params: [after?.id ?? null, after?.inclusive ?? false, Math.max(1, Math.floor(limit))],
  });
  return rows.map((r) => r.candidate_id);
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

/**
 * Per candidate, its events from the oldest one missing its paths onwards, oldest first (at most
 * `perCandidate`), with what the fold needs.
 */
export async function readEventsFromFirstMissing(tx: Sql, candidateIds: string[], perCandidate: number): Promise<FillEventRow[]> {
  if (candidateIds.length === 0) return [];
  const rows = await tx.query<RawEventRow>({
    text: `SELECT e.id, e.candidate_id, e.provider, e.provider_event, e.snapshot, e.details, e.occurred_at, e.received_at,
                  (e.changed_paths IS NULL) AS missing
           FROM jsonb_array_elements_text($1::jsonb) AS c(id)
           CROSS JOIN LATERAL (
             SELECT m.occurred_at, m.received_at, m.id FROM events m
             WHERE m.candidate_id = c.id AND m.changed_paths IS NULL
             ORDER BY m.occurred_at, m.received_at, m.id LIMIT 1
           ) f
           CROSS JOIN LATERAL (
             SELECT x.* FROM events x
             WHERE x.candidate_id = c.id AND (x.occurred_at, x.received_at, x.id) >= (f.occurred_at, f.received_at, f.id)
             ORDER BY x.occurred_at, x.received_at, x.id LIMIT $2
           ) e
           ORDER BY e.candidate_id, e.occurred_at, e.received_at, e.id`,
    params: [json(candidateIds), Math.max(1, Math.floor(perCandidate))],
  });
  return rows.map(toRow);
}

/**
 * For each (candidate, key): up to `take` of the candidate's events with a snapshot before the
 * key, newest first (the chain stateFromPredecessors folds).
 */
export async function readSnapshotPredecessors(
  tx: Sql,
  keys: { candidateId: string; key: EventKey }[],
  take: number,
): Promise<Map<string, FillEventRow[]>> {
  const out = new Map<string, FillEventRow[]>();
  if (keys.length === 0) return out;
  const rows = await tx.query<RawEventRow & { for_candidate: string }>({
    text: `SELECT k.candidate_id AS for_candidate, p.id, p.candidate_id, p.provider, p.provider_event, p.snapshot, p.details, p.occurred_at, p.received_at
           FROM jsonb_to_recordset($1::jsonb) AS k(candidate_id text, occurred_at timestamptz, received_at timestamptz, id text)
           CROSS JOIN LATERAL (
             SELECT x.* FROM events x
             WHERE x.candidate_id = k.candidate_id AND x.snapshot IS NOT NULL
               AND (x.occurred_at, x.received_at, x.id) < (k.occurred_at, k.received_at, k.id)
             ORDER BY x.occurred_at DESC, x.received_at DESC, x.id DESC LIMIT $2
           ) p
           ORDER BY k.candidate_id, p.occurred_at DESC, p.received_at DESC, p.id DESC`,
    params: [
      json(keys.map((k) => ({ candidate_id: k.candidateId, occurred_at: k.key.occurredAt.toISOString(), received_at: k.key.receivedAt.toISOString(), id: k.key.id }))),
      Math.max(1, Math.floor(take)),
    ],
  });
  for (const r of rows) {
    const list = out.get(r.for_candidate);
    if (list) list.push(toRow(r));
    else out.set(r.for_candidate, [toRow(r)]);
  }
  return out;
}

/** Writes computed paths where they are still missing. Returns the number of rows written. */
export async function writeChangedPaths(tx: Sql, values: { id: string; paths: string }[], version: number): Promise<number> {
  if (values.length === 0) return 0;
  const rows = await tx.query<{ id: string }>({
    text: `UPDATE events e SET changed_paths = v.paths, changed_paths_version = $2
           FROM jsonb_to_recordset($1::jsonb) AS v(id text, paths text)
           WHERE e.id = v.id AND e.changed_paths IS NULL
           RETURNING e.id`,
    params: [json(values), version],
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
