import type { ProcessingOutcome } from "../ingest/outcome";
import { postgresSafe } from "./postgres-safe";
import { errorMessage, logEvent } from "../log";
import { eventPhones, linkPeople } from "./people-link";
import { refreshBatchAnalytics } from "./analytics-refresh";
import { sqlState, type Sql } from "./sql";
import { erasureKeyHash } from "../erasure/key";


export interface SaveOutcomeOptions {
  delivery: { id: string; endpointId: string; provider: string; receivedAt: Date };
  outcome: ProcessingOutcome;
  newCandidateId: () => string;
}

/** One delivery's outcome, as `saveProcessingOutcomes` takes a batch of them. */
export type SaveItem = Omit<SaveOutcomeOptions, "newCandidateId">;

/**
 * Replaces each delivery's events with its outcome's, for a batch of deliveries, atomically, so
 * processing and reprocessing are idempotent. The work is one call of the SQL function
 * `save_processing_outcomes` (prisma/migrations/20261123203000_save_processing_outcomes; current
 * definition in …_status_and_derived_stage_moves), which
 * locks, upserts the candidates, inserts events and stage observations and recomputes each affected
 * candidate's aggregates from its events (current stages, status, derived stage moves): one round
 * trip per batch, whatever its size.
 *
 * Arguments, as JSON arrays: deliveries (id, status, error, event_type, schema_drift, processed_at),
 * candidates (id to use if new, provider, external_id, at), events (the events columns, with the
 * candidate named by provider + candidate_external_id), stages (event_id, job_key,
 * job_title, stage, occurred_at, received_at; the candidate is the event's).
 */
export async function saveProcessingOutcomes(
  sql: Sql,
  items: SaveItem[],
  newCandidateId: () => string,
  /** false: the caller leaves the step after the save (afterSave) to later (the ingest queue: its DerivedRefresher). */
  options: { afterSave?: boolean } = {},
): Promise<ProcessingOutcome[]> {
  return (await saveProcessingBatch(sql, items, newCandidateId, options)).outcomes;
}

/** A candidate of a saved batch that its provider anonymized earlier, with the fields it named. */
export interface AnonymizedCandidate {
  provider: string;
  externalId: string;
  fields: string[];
}

/**
 * saveProcessingOutcomes, also answering which of the batch's candidates their provider anonymized
 * before (`candidates.anonymized_fields`), read in the same statement: a late retry about such a
 * candidate must be redacted as the stored rows were, and asking in a statement of its own cost a
 * round trip per batch on the ingest path.
 */
export async function saveProcessingBatch(
  sql: Sql,
  items: SaveItem[],
  newCandidateId: () => string,
  options: { afterSave?: boolean } = {},
): Promise<{ outcomes: ProcessingOutcome[]; anonymized: AnonymizedCandidate[] }> {
  if (items.length === 0) return { outcomes: [], anonymized: [] };
  let batch = [...new Map(items.map((item) => [item.delivery.id, item])).values()];
  let anonymized: AnonymizedCandidate[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      anonymized = await saveBatch(sql, batch, newCandidateId);
      break;
    } catch (error) {
      // A candidate of the batch was erased (refuse_erased_candidates): the statement rolled back
      // whole; the events that occurred before the erasure are left out and the rest saved.
      if (sqlState(error) !== ERASED_SQLSTATE || attempt >= 3) throw error;
      batch = await withoutErasedEvents(sql, batch);
    }
  }
  const discarded = batch.filter((item) => item.outcome.status === "ignored" && item.outcome.error === ERASED_REASON);
  if (discarded.length > 0) await discardErasedRetries(sql, discarded.map((item) => item.delivery.id));
  if (options.afterSave !== false) await afterSave(sql, batch);
  const byId = new Map(batch.map((item) => [item.delivery.id, item.outcome]));
  return { outcomes: items.map((item) => byId.get(item.delivery.id)!), anonymized };
}

async function saveBatch(sql: Sql, batch: SaveItem[], newCandidateId: () => string): Promise<AnonymizedCandidate[]> {
  const processedAt = new Date();
  let params = outcomeParams(batch, processedAt, newCandidateId);
  // Nearly every batch is free of U+0000 and lone surrogates, which JSON.stringify writes escaped:
  // one scan of the text instead of copying every string of every outcome. (A false alarm, such as an
  // escaped backslash before "u0000", only takes the copying path.)
  if (params.some((p) => UNSAFE_JSON_ESCAPE.test(p))) {
    params = outcomeParams(batch.map((item) => ({ delivery: item.delivery, outcome: postgresSafe(item.outcome) })), processedAt, newCandidateId);
  }
  const rows = await withDeadlockRetry(() =>
    sql.query<{ anonymized: [string, string, string[]][] | null }>({
      name: "save_processing_outcomes",
      // The erasure check runs after the save in the same statement, once the candidates' locks are
      // held (OFFSET 0 keeps the subquery evaluated first): see refuse_erased_candidates. Then the
      // batch's candidates an earlier anonymization left marked: a correlated subquery, so each is one
      // probe of the (provider, external_id) key whatever the statistics say (a join was planned as a
      // scan of every candidate before the first ANALYZE); candidates new in this batch have no mark.
      // The analytics summaries are not in this statement: the save queues them (afterSave).
      text: `SELECT refuse_erased_candidates($5::jsonb),
               (SELECT jsonb_agg(m) FROM (
                  SELECT (SELECT jsonb_build_array(c.provider, c.external_id, c.anonymized_fields) FROM candidates c
                           WHERE c.provider = r.provider AND c.external_id = r.external_id AND c.anonymized_fields IS NOT NULL) AS m
                    FROM jsonb_to_recordset($2::jsonb) AS r(provider text, external_id text)) marks
                 WHERE m IS NOT NULL) AS anonymized
             FROM (SELECT save_processing_outcomes($1::jsonb, $2::jsonb, $3::jsonb, $4::jsonb) OFFSET 0) saved`,
      params,
    }),
  );
  return (rows[0]?.anonymized ?? []).map(([provider, externalId, fields]) => ({ provider, externalId, fields }));
}

/** The batch's candidates, once each, by the keys the save names them with (provider, external id). */
export function batchCandidateKeys(items: SaveItem[]): { provider: string; external_id: string }[] {
  const keys = new Map<string, { provider: string; external_id: string }>();
  for (const { delivery, outcome } of items) {
    for (const e of outcome.events) keys.set(`${delivery.provider}:${e.candidateExternalId}`, { provider: delivery.provider, external_id: e.candidateExternalId });
  }
  return [...keys.values()];
}

/**
 * Right after a batch's save, on committed events, for saves that are not a webhook's (reprocessing,
 * recovery, callers of saveProcessingOutcomes): the analytics summaries of the candidates the save
 * queued (refreshBatchAnalytics), then People linking (linkPeople), both taking the candidates off
 * their queues. Neither may fail the deliveries: what fails stays queued and is done later (the
 * ingest queue's DerivedRefresher, the recovery loop). The ingest queue does not call this: its
 * refresher does the queues when ingest leaves room.
 */
export async function afterSave(sql: Sql, items: SaveItem[]): Promise<void> {
  try {
    await withDeadlockRetry(() => refreshBatchAnalytics(sql, items));
  } catch (error) {
    logEvent("error", "analytics refresh failed; the recovery loop retries it", { deliveries: items.length, error: errorMessage(error) });
  }
  await linkBatchPeople(sql, items);
}

/**
 * People: a separate statement right after save_processing_outcomes. The events are committed: a
 * failure here must not fail the deliveries; the records stay queued (people_link_queue) for later.
 */
export async function linkBatchPeople(sql: Sql, items: SaveItem[]): Promise<void> {
  try {
    await withDeadlockRetry(() => linkPeople(sql, items));
  } catch (error) {
    logEvent("error", "people linking failed", { deliveries: items.length, error: errorMessage(error) });
  }
}

/** The answer's `reason` for a delivery about an erased candidate that occurred before the erasure. */
export const ERASED_REASON = "erased";
const ERASED_SQLSTATE = "PE001";

/**
 * The batch without the events of erased candidates that occurred before their erasure; a delivery
 * left with none is `ignored` (reason `erased`). An event after the erasure is a new history.
 */
async function withoutErasedEvents(sql: Sql, batch: SaveItem[]): Promise<SaveItem[]> {
  const hashOf = (provider: string, externalId: string) => erasureKeyHash(provider, externalId);
  const hashes = [...new Set(batch.flatMap(({ delivery, outcome }) => outcome.events.map((e) => hashOf(delivery.provider, e.candidateExternalId))))];
  const rows = await sql.query<{ key_hash: string; erased_at: Date | string }>({
    text: "SELECT key_hash, max(erased_at) AS erased_at FROM erased_keys WHERE key_hash IN (SELECT jsonb_array_elements_text($1::jsonb)) GROUP BY key_hash",
    params: [JSON.stringify(hashes)],
  });
  const erasedAt = new Map(rows.map((r) => [r.key_hash, new Date(r.erased_at).getTime()]));
  return batch.map(({ delivery, outcome }) => {
    const kept = outcome.events.filter((e) => {
      const at = erasedAt.get(hashOf(delivery.provider, e.candidateExternalId));
      return at === undefined || e.occurredAt.getTime() >= at;
    });
    if (kept.length === outcome.events.length) return { delivery, outcome };
    if (kept.length > 0) return { delivery, outcome: { ...outcome, events: kept } };
    return { delivery, outcome: { status: "ignored", error: ERASED_REASON, eventType: outcome.eventType, drift: [], events: [] } };
  });
}

/**
 * A retry of an erased candidate's delivery is kept without its body, as are its duplicates; its
 * idempotency key goes, so the next retry is processed (and answered `erased`) too instead of being
 * stored, body and all, as a duplicate nothing processes.
 */
async function discardErasedRetries(sql: Sql, deliveryIds: string[]): Promise<void> {
  const duplicates = await sql.query<{ id: string }>({
    text: "SELECT id FROM deliveries WHERE duplicate_of_id IN (SELECT jsonb_array_elements_text($1::jsonb))",
    params: [JSON.stringify(deliveryIds)],
  });
  await purgeDeliveryBodies(sql, [...deliveryIds, ...duplicates.map((d) => d.id)], "erased");
  await sql.query({
    text: "DELETE FROM idempotency_keys WHERE delivery_id IN (SELECT jsonb_array_elements_text($1::jsonb))",
    params: [JSON.stringify(deliveryIds)],
  });
}

/**
 * Drops deliveries' raw bodies, headers, query strings and drift notes; the rows keep their status,
 * times, hash and size (`body_size`), and say when and why (`body_purged_at`, `body_purge_reason`).
 */
export async function purgeDeliveryBodies(sql: Sql, deliveryIds: string[], reason: "erased" | "retention"): Promise<number> {
  if (deliveryIds.length === 0) return 0;
  const rows = await sql.query<{ id: string }>({
    text: `UPDATE deliveries SET body_size = coalesce(body_size, octet_length(body)), body = ''::bytea, headers = '{}'::jsonb,
             query = '', schema_drift = NULL, body_purged_at = coalesce(body_purged_at, now()), body_purge_reason = coalesce(body_purge_reason, $2)
           WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)) RETURNING id`,
    params: [JSON.stringify(deliveryIds), reason],
  });
  return rows.length;
}

/** What PostgreSQL's jsonb refuses, as JSON.stringify writes it: `\u0000` and lone surrogates `\udXXX`. */
const UNSAFE_JSON_ESCAPE = /\\u0000|\\ud[89a-f]/i;

/** The four JSON arguments of save_processing_outcomes (see saveProcessingOutcomes). */
function outcomeParams(batch: SaveItem[], processedAt: Date, newCandidateId: () => string): string[] {

  // With each candidate, the phone numbers its snapshots carry: the save stores them for People.
  const candidates = new Map<string, { id: string; provider: string; external_id: string; at: Date; phones?: string[] }>();
  for (const { delivery, outcome } of batch) {
    for (const e of outcome.events) {
      const key = JSON.stringify([delivery.provider, e.candidateExternalId]);
      let known = candidates.get(key);
      if (!known) {
        known = { id: newCandidateId(), provider: delivery.provider, external_id: e.candidateExternalId, at: e.occurredAt };
        candidates.set(key, known);
      } else if (e.occurredAt < known.at) known.at = e.occurredAt;
      for (const phone of eventPhones(delivery.provider, e)) {
        if (!known.phones?.includes(phone)) (known.phones ??= []).push(phone);
      }
    }
  }
  const deliveries = batch.map(({ delivery, outcome }) => ({
    id: delivery.id,
    status: outcome.status,
    error: outcome.error,
    event_type: outcome.eventType,
    schema_drift: outcome.drift.length > 0 ? outcome.drift : null,
    processed_at: processedAt,
  }));
  const events = batch.flatMap(({ delivery, outcome }) =>
    outcome.events.map((e) => ({
      id: e.id,
      delivery_id: delivery.id,
      seq: e.seq,
      endpoint_id: delivery.endpointId,
      provider: delivery.provider,
      type: e.type,
      provider_event: e.providerEvent,
      type_inferred: e.typeInferred,
      occurred_at: e.occurredAt,
      received_at: delivery.receivedAt,
      candidate_external_id: e.candidateExternalId,
      candidate_name: e.candidateName,
      candidate_email: e.candidateEmail,
      job_id: e.jobId,
      job_title: e.jobTitle,
      application_id: e.applicationId,
      stage_from: e.stageFrom,
      stage_to: e.stageTo,
      actor: e.actor,
      // JSON null becomes SQL NULL in jsonb_to_recordset, as "no details / no snapshot" should.
      details: e.details ?? null,
      snapshot: e.snapshot ?? null,
    })),
  );
  const stages = batch.flatMap(({ delivery, outcome }) =>
    outcome.events.flatMap((e) =>
      e.stages.map((st) => ({
        event_id: e.id,
        job_key: st.jobKey,
        job_title: st.jobTitle,
        stage: st.stage,
        occurred_at: e.occurredAt,
        received_at: delivery.receivedAt,
      })),
    ),
  );
  // Per candidate, its keyed hash and earliest event of the batch, for refuse_erased_candidates.
  const erasureKeys = [...candidates.values()].map((c) => ({ h: erasureKeyHash(c.provider, c.external_id), t: c.at }));
  return [deliveries, [...candidates.values()], events, stages, erasureKeys].map((rows) => JSON.stringify(rows));
}

/** One delivery's outcome: a batch of one. */
export async function saveProcessingOutcome(sql: Sql, options: SaveOutcomeOptions): Promise<ProcessingOutcome> {
  return (await saveProcessingOutcomes(sql, [options], options.newCandidateId))[0];
}

/**
 * Locks are taken in one order, but a reprocess can also refresh candidates its deliveries no longer
 * name (their events moved): PostgreSQL then may pick this transaction as a deadlock victim. It
 * rolled back whole, so it is simply run again.
 */
async function withDeadlockRetry<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const state = sqlState(error);
      if (attempt >= attempts || (state !== "40P01" && state !== "40001")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
    }
  }
}
