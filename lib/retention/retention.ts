import { randomUUID } from "node:crypto";
import { purgeDeliveryBodies } from "../db/events";
import { sqlState, type Sql } from "../db/sql";
import { errorMessage, logEvent } from "../log";
import { recordAudit } from "../auth/audit";

export interface RetentionSettings {
  /** Raw bodies of deliveries done processing (processed, ignored, duplicate) older than this are dropped; null keeps them. */
  rawBodyDays: number | null;
  /** Events received longer ago than this are deleted (and candidates left without any); null keeps them. */
  eventDays: number | null;
  /** Refused-request logs, endpoint rejections and idempotency keys older than this are deleted. */
  rejectedDays: number;
}

/** Today's behaviour (keep every delivery and event) but bounded bookkeeping tables. */
export const DEFAULT_RETENTION: RetentionSettings = { rawBodyDays: null, eventDays: null, rejectedDays: 30 };

export interface RetentionCounts {
  rawBodies: number;
  events: number;
  candidates: number;
  rejectedRequests: number;
  endpointRejections: number;
  idempotencyKeys: number;
}

export type RetentionRun = RetentionCounts & { ran: boolean };

export async function getRetentionSettings(sql: Sql): Promise<RetentionSettings> {
  const [row] = await sql.query<{ raw_body_days: number | null; event_days: number | null; rejected_days: number }>({
    text: "SELECT raw_body_days, event_days, rejected_days FROM retention_state WHERE id = 1",
  });
  return row ? { rawBodyDays: row.raw_body_days, eventDays: row.event_days, rejectedDays: row.rejected_days } : { ...DEFAULT_RETENTION };
}

export async function saveRetentionSettings(sql: Sql, settings: RetentionSettings): Promise<RetentionSettings> {
  await sql.query({
    text: `INSERT INTO retention_state (id, raw_body_days, event_days, rejected_days) VALUES (1, $1, $2, $3)
           ON CONFLICT (id) DO UPDATE SET raw_body_days = excluded.raw_body_days, event_days = excluded.event_days, rejected_days = excluded.rejected_days`,
    params: [settings.rawBodyDays, settings.eventDays, settings.rejectedDays],
  });
  return getRetentionSettings(sql);
}

/** This process, as the lease owner. */
const OWNER = `${process.pid}-${randomUUID()}`;

/**
 * Takes the retention lease (one row, shared by every instance) unless another instance holds it:
 * the lease, not a session lock, because PGlite and pooled connections have no session to hold one.
 */
async function claimLease(sql: Sql, owner: string, leaseMs: number): Promise<boolean> {
  const rows = await sql.query({
    text: `UPDATE retention_state SET lease_owner = $1, lease_until = now() + ($2::int * interval '1 millisecond')
           WHERE id = 1 AND (lease_owner IS NULL OR lease_owner = $1 OR lease_until < now()) RETURNING id`,
    params: [owner, leaseMs],
  });
  return rows.length > 0;
}

async function releaseLease(sql: Sql, owner: string, counts: RetentionCounts | null): Promise<void> {
  await sql.query({
    text: `UPDATE retention_state SET lease_owner = NULL, lease_until = NULL,
             last_run_at = CASE WHEN $2::jsonb IS NULL THEN last_run_at ELSE now() END,
             last_run_counts = coalesce($2::jsonb, last_run_counts)
           WHERE id = 1 AND lease_owner = $1`,
    params: [owner, counts ? JSON.stringify(counts) : null],
  });
}

export interface RunRetentionOptions {
  now?: Date;
  /** Rows per statement: small, so each batch holds its locks briefly. */
  batchSize?: number;
  /** Checked between batches: while true (a burst of deliveries) the run waits, giving way to ingest. */
  busy?: () => boolean;
  /** A lease owner other than this process (tests run two "instances" in one process). */
  owner?: string;
  leaseMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const json = (v: unknown) => JSON.stringify(v);

/**
 * One retention run, in small batches that each commit on their own (an interrupted run keeps what
 * it did; the next resumes). Once per cluster: a run that finds the lease held does nothing and
 * says so (`ran: false`).
 */
export async function runRetention(sql: Sql, options: RunRetentionOptions = {}): Promise<RetentionRun> {
  const owner = options.owner ?? OWNER;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const batchSize = options.batchSize ?? 500;
  const counts: RetentionCounts = { rawBodies: 0, events: 0, candidates: 0, rejectedRequests: 0, endpointRejections: 0, idempotencyKeys: 0 };
  if (!(await claimLease(sql, owner, leaseMs))) return { ...counts, ran: false };
  let finished = false;
  try {
    const settings = await getRetentionSettings(sql);
    const now = options.now ?? new Date();
    const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
    // Between batches: give way to a burst of ingest, and renew the lease (another instance takes over if this one dies).
    const between = async () => {
      for (let waited = 0; options.busy?.() && waited < 60_000; waited += 200) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setImmediate(r));
      if (!(await claimLease(sql, owner, leaseMs))) throw new Error("the retention lease was lost to another instance");
    };
    const loop = async (step: () => Promise<number>, add: (n: number) => void) => {
      for (;;) {
        const n = await step();
        add(n);
        if (n < batchSize) return;
        await between();
      }
    };

    if (settings.eventDays !== null) {
      const cutoff = before(settings.eventDays);
      await loop(
        async () => {
          const r = await deleteOldEvents(sql, cutoff, batchSize);
          counts.candidates += r.candidates;
          counts.rawBodies += r.bodies;
          return r.events;
        },
        (n) => (counts.events += n),
      );
    }
    if (settings.rawBodyDays !== null) {
      const cutoff = before(settings.rawBodyDays);
      await loop(async () => {
        const rows = await sql.query<{ id: string }>({
          text: `SELECT id FROM deliveries WHERE received_at < $1::timestamptz AND body_purged_at IS NULL
                   AND status IN ('processed', 'ignored', 'duplicate') ORDER BY received_at, id LIMIT $2`,
          params: [cutoff, batchSize],
        });
        return purgeDeliveryBodies(sql, rows.map((r) => r.id), "retention");
      }, (n) => (counts.rawBodies += n));
    }
    const bookkeeping = before(settings.rejectedDays);
    await loop(() => deleteBatch(sql, "rejected_requests", "id", "at", bookkeeping, batchSize), (n) => (counts.rejectedRequests += n));
    await loop(() => deleteBatch(sql, "endpoint_rejections", "id", "at", bookkeeping, batchSize), (n) => (counts.endpointRejections += n));
    // A provider's retry later than this is stored and processed again (same events: processing is idempotent per delivery content).
    await loop(() => deleteBatch(sql, "idempotency_keys", "endpoint_id, key", "created_at", bookkeeping, batchSize), (n) => (counts.idempotencyKeys += n));
    finished = true;
    return { ...counts, ran: true };
  } finally {
    await releaseLease(sql, owner, finished ? counts : null).catch(() => {});
  }
}

async function deleteBatch(sql: Sql, table: string, key: string, at: string, cutoff: string, limit: number): Promise<number> {
  const [row] = await sql.query<{ n: number }>({
    text: `WITH gone AS (DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE ${at} < $1::timestamptz LIMIT $2) RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
    params: [cutoff, limit],
  });
  return row.n;
}

/**
 * One batch of events received before `cutoff`, deleted under their candidates' row locks (the
 * order processing takes them), with the candidates' counts and first-seen times brought up to
 * date, candidates left without events deleted, and the raw bodies of deliveries left without
 * events dropped (a full reprocess would otherwise bring the events back).
 */
async function deleteOldEvents(sql: Sql, cutoff: string, limit: number): Promise<{ events: number; candidates: number; bodies: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await sql.transaction(async (tx) => {
        const picked = await tx.query<{ id: string; candidate_id: string; delivery_id: string }>({
          text: `SELECT id, candidate_id, delivery_id FROM events WHERE received_at < $1::timestamptz ORDER BY received_at, id LIMIT $2`,
          params: [cutoff, limit],
        });
        if (picked.length === 0) return { events: 0, candidates: 0, deliveryIds: [] as string[] };
        const candidateIds = [...new Set(picked.map((e) => e.candidate_id))];
        await tx.query({
          text: `SELECT 1 FROM candidates WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY provider, external_id FOR UPDATE`,
          params: [json(candidateIds)],
        });
        const [gone] = await tx.query<{ n: number }>({
          text: `WITH gone AS (DELETE FROM events WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)) AND received_at < $2::timestamptz RETURNING 1)
                 SELECT count(*)::int AS n FROM gone`,
          params: [json(picked.map((e) => e.id)), cutoff],
        });
        await tx.query({
          text: `UPDATE candidates c SET event_count = a.cnt, first_seen_at = coalesce(a.first_at, c.first_seen_at), updated_at = now()
                 FROM (SELECT ids.id, (SELECT count(*)::int FROM events e WHERE e.candidate_id = ids.id) AS cnt,
                              (SELECT min(occurred_at) FROM events e WHERE e.candidate_id = ids.id) AS first_at
                       FROM jsonb_array_elements_text($1::jsonb) AS ids(id)) a
                 WHERE c.id = a.id`,
          params: [json(candidateIds)],
        });
        // The analytics summary of what is left of their histories (deleted candidates cascade).
        await tx.query({ text: `SELECT refresh_application_stays(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))`, params: [json(candidateIds)] });
        const [emptied] = await tx.query<{ n: number }>({
          text: `WITH gone AS (DELETE FROM candidates c WHERE c.id IN (SELECT jsonb_array_elements_text($1::jsonb))
                   AND NOT EXISTS (SELECT 1 FROM events e WHERE e.candidate_id = c.id) RETURNING 1)
                 SELECT count(*)::int AS n FROM gone`,
          params: [json(candidateIds)],
        });
        const bodiless = await tx.query<{ id: string }>({
          text: `SELECT d.id FROM deliveries d WHERE d.id IN (SELECT jsonb_array_elements_text($1::jsonb)) AND d.body_purged_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM events e WHERE e.delivery_id = d.id)`,
          params: [json([...new Set(picked.map((e) => e.delivery_id))])],
        });
        return { events: gone.n, candidates: emptied.n, deliveryIds: bodiless.map((d) => d.id) };
      });
      const bodies = await purgeDeliveryBodies(sql, result.deliveryIds, "retention");
      return { events: result.events, candidates: result.candidates, bodies };
    } catch (error) {
      const state = sqlState(error);
      if (attempt >= 5 || (state !== "40P01" && state !== "40001")) throw error;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

/**
 * Each instance checks hourly whether a day has passed since the cluster's last run; the lease lets
 * one of them run it. Returns a stop function.
 */
export function startRetentionLoop(getSql: () => Sql, options: { everyMs?: number; busy?: () => boolean } = {}): () => void {
  const everyMs = options.everyMs ?? 60 * 60_000;
  let running = false;
  const tick = async () => {
    if (running || options.busy?.()) return;
    running = true;
    try {
      const sql = getSql();
      const [due] = await sql.query<{ due: boolean }>({
        text: `SELECT (last_run_at IS NULL OR last_run_at < now() - interval '1 day') AS due FROM retention_state WHERE id = 1`,
      });
      if (!due?.due) return;
      const result = await runRetention(sql, { busy: options.busy });
      if (result.ran) {
        logEvent("info", "retention run", { ...result });
        await recordAudit(sql, { actor: "system", action: "retention.run", target: null, details: { via: "daily", ...result } });
      }
    } catch (error) {
      logEvent("warn", "retention run failed", { error: errorMessage(error) });
    } finally {
      running = false;
    }
  };
  // A first look soon after start, then hourly.
  const first = setTimeout(() => void tick(), Math.min(everyMs, 60_000));
  first.unref();
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
