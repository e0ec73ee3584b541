import { insertAuditEntry } from "../db/audit-log";
import { sqlState, type Sql } from "../db/sql";
import { newId } from "../ids";
import { errorMessage, logEvent } from "../log";
import { erasureKeyHash } from "./key";

export interface ErasureCounts {
  /** Candidate rows deleted: the ones asked for and the records merged into them. */
  candidates: number;
  /** Events deleted (their stage rows and changed paths with them). */
  events: number;
  /** Deliveries made bodiless (raw body, headers, query string and drift notes dropped). */
  deliveries: number;
  /** Idempotency keys of those deliveries deleted (a retry is then answered `ignored`, reason `erased`). */
  idempotencyKeys: number;
  /** Refused requests (their first bytes are kept) that held one of their email addresses, deleted. */
  refusedRequests: number;
}

export interface ErasureResult {
  id: string;
  at: Date;
  counts: ErasureCounts;
}

export interface EraseOptions {
  /** The audit log's name for who asked (`user:<id> <email>`, `admin-token`, `cli`, …). */
  actor: string;
  /** Where the request came from, for the audit entry: `api`, `cli`, `people`. */
  via: string;
}

/** The tables an erasure touches: vacuumed afterwards so the deleted rows' bytes stop being readable. */
export const ERASURE_TABLES = [
  "events",
  "event_stages",
  "candidates",
  "candidate_stages",
  "deliveries",
  "idempotency_keys",
  "rejected_requests",
  // People (their rows go with the candidate's by ON DELETE CASCADE): a person's name, a record's
  // normalized email and phone numbers.
  "people",
  "person_members",
  "candidate_phones",
  "person_splits",
  "person_suggestion_dismissals",
] as const;

const json = (v: unknown) => JSON.stringify(v);

/**
 * Erases candidates and every record merged into them, in one transaction: their events (stage rows
 * cascade), their current stages, the candidate rows, and the raw bodies, headers, query strings and
 * drift notes of every delivery that carried one of their events or is a duplicate of one (the rows
 * stay, bodiless: status, times, hash and size). What stays is the erasure record: when, by whom,
 * counts, and keyed hashes of (provider, provider id) that refuse the retries of their deliveries.
 *
 * Concurrency with ingest: the candidates' rows are locked in the order processing takes them
 * (provider, external id), so an ingest of the same candidate either commits first (and its events
 * are erased here) or waits and then sees the erasure (refuse_erased_candidates). A deadlock with a
 * reprocess (which locks its delivery first) rolls this back whole; it is run again.
 *
 * Returns null when none of the ids is a candidate.
 */
export async function eraseCandidates(db: { sql: Sql; kind: "postgres" | "pglite" }, candidateIds: string[], options: EraseOptions): Promise<ErasureResult | null> {
  if (candidateIds.length === 0) return null;
  let result: ErasureResult | null = null;
  for (let attempt = 1; ; attempt++) {
    try {
      result = await db.sql.transaction((tx) => eraseInTransaction(tx, candidateIds, options));
      break;
    } catch (error) {
      const state = sqlState(error);
      if (attempt >= 5 || (state !== "40P01" && state !== "40001")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 20));
    }
  }
  if (result) await vacuumAfterErasure(db);
  return result;
}

async function eraseInTransaction(tx: Sql, requested: string[], options: EraseOptions): Promise<ErasureResult | null> {
  // The set grows while records are merged into it meanwhile: lock, look again, until it is stable.
  let locked: { id: string; provider: string; external_id: string }[] = [];
  for (let round = 0; round < 10; round++) {
    const ids = [...new Set([...requested, ...locked.map((c) => c.id)])];
    const rows = await tx.query<{ id: string; provider: string; external_id: string }>({
      text: `WITH RECURSIVE erased AS (
               SELECT c.id, c.provider, c.external_id FROM candidates c WHERE c.id IN (SELECT jsonb_array_elements_text($1::jsonb))
               UNION
               SELECT m.id, m.provider, m.external_id FROM candidates m
               JOIN erased e ON m.provider = e.provider AND m.merged_into_external_id = e.external_id
             )
             SELECT c.id, c.provider, c.external_id FROM candidates c WHERE c.id IN (SELECT id FROM erased)
             ORDER BY c.provider, c.external_id FOR UPDATE OF c`,
      params: [json(ids)],
    });
    const stable = rows.length === locked.length;
    locked = rows;
    if (stable) break;
  }
  if (locked.length === 0) return null;
  const ids = locked.map((c) => c.id);

  const deliveryRows = await tx.query<{ id: string }>({
    text: `WITH carried AS (SELECT DISTINCT delivery_id AS id FROM events WHERE candidate_id IN (SELECT jsonb_array_elements_text($1::jsonb)))
           SELECT id FROM carried
           UNION SELECT d.id FROM deliveries d WHERE d.duplicate_of_id IN (SELECT id FROM carried)`,
    params: [json(ids)],
  });
  // Deliveries about them that never became events (failed, ignored or not yet processed): no
  // event links them, so they are found by the email addresses the candidates' events carried, as
  // received (bytes), which name one person (names and short ids could match someone else's).
  // Refused requests (their first bytes) too.
  const emails = await tx.query<{ email: string }>({
    text: `SELECT DISTINCT candidate_email AS email FROM events
           WHERE candidate_id IN (SELECT jsonb_array_elements_text($1::jsonb)) AND candidate_email LIKE '%_@_%'`,
    params: [json(ids)],
  });
  const providers = [...new Set(locked.map((c) => c.provider))];
  let refused = 0;
  if (emails.length > 0) {
    const unlinked = await tx.query<{ id: string }>({
      text: `SELECT d.id FROM deliveries d
             WHERE d.status IN ('failed', 'ignored', 'received') AND d.body_purged_at IS NULL
               AND d.provider IN (SELECT jsonb_array_elements_text($2::jsonb))
               AND NOT EXISTS (SELECT 1 FROM events e WHERE e.delivery_id = d.id)
               AND EXISTS (SELECT 1 FROM jsonb_array_elements_text($1::jsonb) AS m(email)
                           WHERE position(convert_to(m.email, 'UTF8') IN d.body) > 0)
             FOR UPDATE OF d`,
      params: [json(emails.map((e) => e.email)), json(providers)],
    });
    deliveryRows.push(...unlinked);
    const [gone] = await tx.query<{ n: number }>({
      text: `WITH gone AS (DELETE FROM rejected_requests r WHERE r.provider IN (SELECT jsonb_array_elements_text($2::jsonb)) AND r.body IS NOT NULL
               AND EXISTS (SELECT 1 FROM jsonb_array_elements_text($1::jsonb) AS m(email)
                           WHERE position(convert_to(m.email, 'UTF8') IN r.body) > 0) RETURNING 1)
             SELECT count(*)::int AS n FROM gone`,
      params: [json(emails.map((e) => e.email)), json(providers)],
    });
    refused = gone.n;
  }
  const deliveryIds = deliveryRows.map((r) => r.id).sort();

  const [events] = await tx.query<{ n: number }>({
    text: `WITH gone AS (DELETE FROM events WHERE candidate_id IN (SELECT jsonb_array_elements_text($1::jsonb)) RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
    params: [json(ids)],
  });
  const [candidates] = await tx.query<{ n: number }>({
    text: `WITH gone AS (DELETE FROM candidates WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)) RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
    params: [json(ids)],
  });
  // A delivery naming several candidates would keep the others' events (no provider batches
  // candidates today: each maps to one event); its raw body goes, as it cannot be split generically.
  const [deliveries] = await tx.query<{ n: number }>({
    text: `WITH purged AS (
             UPDATE deliveries SET body_size = coalesce(body_size, octet_length(body)), body = ''::bytea, headers = '{}'::jsonb,
               query = '', schema_drift = NULL, body_purged_at = coalesce(body_purged_at, now()), body_purge_reason = 'erased'
             WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)) RETURNING 1)
           SELECT count(*)::int AS n FROM purged`,
    params: [json(deliveryIds)],
  });
  const [keys] = await tx.query<{ n: number }>({
    text: `WITH gone AS (DELETE FROM idempotency_keys WHERE delivery_id IN (SELECT jsonb_array_elements_text($1::jsonb)) RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
    params: [json(deliveryIds)],
  });

  const counts: ErasureCounts = { candidates: candidates.n, events: events.n, deliveries: deliveries.n, idempotencyKeys: keys.n, refusedRequests: refused };
  const id = newId("ers");
  const [{ at }] = await tx.query<{ at: Date | string }>({
    text: `INSERT INTO erasures (id, at, actor, counts) VALUES ($1, now(), $2, $3::jsonb) RETURNING at`,
    params: [id, options.actor, json(counts)],
  });
  const hashes = [...new Set(locked.map((c) => erasureKeyHash(c.provider, c.external_id)))];
  await tx.query({
    text: `INSERT INTO erased_keys (key_hash, erasure_id, erased_at)
           SELECT h, $2, $3::timestamptz FROM jsonb_array_elements_text($1::jsonb) AS h ON CONFLICT DO NOTHING`,
    params: [json(hashes), id, new Date(at).toISOString()],
  });
  // In the same transaction: an erasure is never without its audit entry. The entry names the
  // erasure, not the person (the candidate ids are random and now point at nothing).
  await insertAuditEntry(tx, { actor: options.actor, action: "candidate.erase", target: id, details: { via: options.via, ...counts } });
  return { id, at: new Date(at), counts };
}

/**
 * Deleted rows stay in the table files until vacuumed. On PostgreSQL, VACUUM makes their space
 * reusable and drops them from indexes: a pg_dump (live rows only) holds no trace, the freed bytes
 * may linger in the files until reused, and the WAL holds them until recycled (README "Personal
 * data"). On PGlite, whose files are the whole database, VACUUM FULL rewrites the touched tables,
 * and two WAL switches with checkpoints (recycling off) delete the WAL segments that held the rows:
 * afterwards no file of DATA_DIR holds them (checked by hand with a marker string; it costs a pause
 * proportional to the tables' size). Run outside the erasure's transaction; a failure leaves
 * autovacuum to do it later, and is logged.
 */
export async function vacuumAfterErasure(db: { sql: Sql; kind: "postgres" | "pglite" }): Promise<void> {
  try {
    if (db.kind === "pglite") {
      await db.sql.query({ text: `VACUUM (FULL) ${ERASURE_TABLES.join(", ")}` });
      await db.sql.query({ text: "SET wal_recycle = off" });
      try {
        for (let i = 0; i < 2; i++) {
          await db.sql.query({ text: "SELECT pg_switch_wal()" });
          await db.sql.query({ text: "CHECKPOINT" });
        }
      } finally {
        await db.sql.query({ text: "RESET wal_recycle" });
      }
    } else {
      await db.sql.query({ text: `VACUUM ${ERASURE_TABLES.join(", ")}` });
    }
  } catch (error) {
    logEvent("warn", "vacuum after erasure failed; autovacuum will reclaim the rows later", { error: errorMessage(error) });
  }
}

export interface ErasureRecord {
  id: string;
  at: Date;
  actor: string;
  counts: ErasureCounts;
}

/** The erasure records, newest first (no personal data: that is the point of them). */
export async function listErasures(sql: Sql, options: { limit: number; before?: { at: Date; id: string } }): Promise<ErasureRecord[]> {
  return sql.query<ErasureRecord>({
    text: `SELECT id, at, actor, counts FROM erasures
           ${options.before ? "WHERE (at, id) < ($2::timestamptz, $3)" : ""}
           ORDER BY at DESC, id DESC LIMIT $1`,
    params: options.before ? [options.limit, options.before.at.toISOString(), options.before.id] : [options.limit],
  });
}
