import type { DeliveryStatus } from "./deliveries";
import { postgresSafe } from "./postgres-safe";
import { errorMessage, logEvent } from "../log";
import { linkPeople } from "./people-link";
import { sqlState, type Sql } from "./sql";

export interface EventRow {
  id: string;
  seq: number;
  type: string;
  providerEvent: string;
  typeInferred: boolean;
  occurredAt: Date;
  candidateExternalId: string;
  candidateName: string | null;
  candidateEmail: string | null;
  jobId: string | null;
  jobTitle: string | null;
  applicationId: string | null;
  stageFrom: string | null;
  stageTo: string | null;
  actor: string | null;
  details: Record<string, unknown> | null;
  snapshot: unknown;
  /** One per job: where the candidate stood as of this event ("" job key when no job is named). */
  stages: { jobKey: string; jobTitle: string | null; stage: string }[];
}

export interface ProcessingOutcome {
  status: Exclude<DeliveryStatus, "received" | "duplicate">;
  error: string | null;
  eventType: string | null;
  drift: string[];
  events: EventRow[];
}

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
  /** false: the caller links the batch's people itself (the ingest queue does, after answering). */
  options: { linkPeople?: boolean } = {},
): Promise<void> {
  if (items.length === 0) return;
  const batch = [...new Map(items.map((item) => [item.delivery.id, item])).values()];
  const processedAt = new Date();
  let params = outcomeParams(batch, processedAt, newCandidateId);
  // Nearly every batch is free of U+0000 and lone surrogates, which JSON.stringify writes escaped:
  // one scan of the text instead of copying every string of every outcome. (A false alarm, such as an
  // escaped backslash before "u0000", only takes the copying path.)
  if (params.some((p) => UNSAFE_JSON_ESCAPE.test(p))) {
    params = outcomeParams(batch.map((item) => ({ delivery: item.delivery, outcome: postgresSafe(item.outcome) })), processedAt, newCandidateId);
  }
  await withDeadlockRetry(() =>
    sql.query({
      name: "save_processing_outcomes",
      text: "SELECT save_processing_outcomes($1::jsonb, $2::jsonb, $3::jsonb, $4::jsonb)",
      params,
    }),
  );
  if (options.linkPeople !== false) await linkBatchPeople(sql, batch);
}

/**
 * People: a separate statement right after save_processing_outcomes, which stays as it is. The events
 * are committed: a failure here must not fail the deliveries; the records' next delivery links them.
 */
export async function linkBatchPeople(sql: Sql, items: SaveItem[]): Promise<void> {
  try {
    await withDeadlockRetry(() => linkPeople(sql, items));
  } catch (error) {
    logEvent("error", "people linking failed", { deliveries: items.length, error: errorMessage(error) });
  }
}

/** What PostgreSQL's jsonb refuses, as JSON.stringify writes it: `\u0000` and lone surrogates `\udXXX`. */
const UNSAFE_JSON_ESCAPE = /\\u0000|\\ud[89a-f]/i;

/** The four JSON arguments of save_processing_outcomes (see saveProcessingOutcomes). */
function outcomeParams(batch: SaveItem[], processedAt: Date, newCandidateId: () => string): string[] {

  const candidates = new Map<string, { id: string; provider: string; external_id: string; at: Date }>();
  for (const { delivery, outcome } of batch) {
    for (const e of outcome.events) {
      const key = JSON.stringify([delivery.provider, e.candidateExternalId]);
      const known = candidates.get(key);
      if (!known) candidates.set(key, { id: newCandidateId(), provider: delivery.provider, external_id: e.candidateExternalId, at: e.occurredAt });
      else if (e.occurredAt < known.at) known.at = e.occurredAt;
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
  return [deliveries, [...candidates.values()], events, stages].map((rows) => JSON.stringify(rows));
}

/** One delivery's outcome: a batch of one. */
export async function saveProcessingOutcome(sql: Sql, options: SaveOutcomeOptions): Promise<void> {
  await saveProcessingOutcomes(sql, [options], options.newCandidateId);
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
