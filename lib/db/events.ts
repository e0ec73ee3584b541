import type { DeliveryStatus } from "./deliveries";
import { postgresSafe } from "./postgres-safe";
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

const ids = (values: Iterable<string>) => JSON.stringify([...values]);
const idList = "(SELECT jsonb_array_elements_text($1::jsonb))";

/** One delivery's outcome, as `saveProcessingOutcomes` takes a batch of them. */
export type SaveItem = Omit<SaveOutcomeOptions, "newCandidateId">;

/**
 * Replaces each delivery's events with its outcome's, for a batch of deliveries in one transaction
 * of a fixed number of set-based statements (whatever the batch size), so processing and
 * reprocessing are idempotent and cost little per delivery under load.
 *
 * Locks, always in the same order (deliveries by id, then candidates by provider and external id),
 * so concurrent batches queue instead of deadlocking: the delivery rows first (two processings of
 * one delivery — a reprocess overlapping the recovery sweep, or two instances — take turns), then
 * the candidate rows through the upsert, so deliveries for one candidate are serialized; every
 * aggregate is recomputed from the events themselves, so the result does not depend on arrival order.
 */
export async function saveProcessingOutcomes(sql: Sql, items: SaveItem[], newCandidateId: () => string): Promise<void> {
  if (items.length === 0) return;
  const batch = [...new Map(items.map((item) => [item.delivery.id, { delivery: item.delivery, outcome: postgresSafe(item.outcome) }])).values()];
  batch.sort((a, b) => (a.delivery.id < b.delivery.id ? -1 : a.delivery.id > b.delivery.id ? 1 : 0));
  const deliveryIds = ids(batch.map((b) => b.delivery.id));

  await withDeadlockRetry(() =>
    sql.transaction(async (tx) => {
      const locked = await tx.query<{ id: string; status: string }>({
        name: "outcome_lock_deliveries",
        text: `SELECT id, status FROM deliveries WHERE id IN ${idList} ORDER BY id FOR UPDATE`,
        params: [deliveryIds],
      });
      // A delivery still `received` has never had events: nothing to replace.
      const removed = locked.some((d) => d.status !== "received")
        ? await tx.query<{ candidate_id: string }>({
            text: `DELETE FROM events WHERE delivery_id IN ${idList} RETURNING candidate_id`,
            params: [deliveryIds],
          })
        : [];

      const candidates = new Map<string, { id: string; provider: string; external_id: string; at: Date }>();
      for (const { delivery, outcome } of batch) {
        for (const e of outcome.events) {
          const key = JSON.stringify([delivery.provider, e.candidateExternalId]);
          const known = candidates.get(key);
          if (!known) candidates.set(key, { id: newCandidateId(), provider: delivery.provider, external_id: e.candidateExternalId, at: e.occurredAt });
          else if (e.occurredAt < known.at) known.at = e.occurredAt;
        }
      }
      const candidateIds = new Map<string, string>();
      if (candidates.size > 0) {
        const rows = await tx.query<{ id: string; provider: string; external_id: string }>({
          name: "outcome_upsert_candidates",
          text: `INSERT INTO candidates (id, provider, external_id, first_seen_at, last_event_at, created_at, updated_at)
                 SELECT r.id, r.provider, r.external_id, r.at, r.at, now(), now()
                 FROM jsonb_to_recordset($1::jsonb) AS r(id text, provider text, external_id text, at timestamptz)
                 ORDER BY r.provider, r.external_id
                 ON CONFLICT (provider, external_id) DO UPDATE SET updated_at = now()
                 RETURNING id, provider, external_id`,
          params: [JSON.stringify([...candidates.values()])],
        });
        for (const r of rows) candidateIds.set(JSON.stringify([r.provider, r.external_id]), r.id);
      }
      const candidateOf = (provider: string, e: EventRow) => candidateIds.get(JSON.stringify([provider, e.candidateExternalId]))!;

      const eventRows = batch.flatMap(({ delivery, outcome }) =>
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
          candidate_id: candidateOf(delivery.provider, e),
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
      if (eventRows.length > 0) {
        await tx.query({
          name: "outcome_insert_events",
          text: `INSERT INTO events (id, delivery_id, seq, endpoint_id, provider, type, provider_event, type_inferred, occurred_at,
                   received_at, candidate_id, candidate_name, candidate_email, job_id, job_title, application_id, stage_from,
                   stage_to, actor, details, snapshot)
                 SELECT r.id, r.delivery_id, r.seq, r.endpoint_id, r.provider, r.type, r.provider_event, r.type_inferred, r.occurred_at,
                   r.received_at, r.candidate_id, r.candidate_name, r.candidate_email, r.job_id, r.job_title, r.application_id,
                   r.stage_from, r.stage_to, r.actor, r.details, r.snapshot
                 FROM jsonb_to_recordset($1::jsonb) AS r(id text, delivery_id text, seq int, endpoint_id text, provider text,
                   type text, provider_event text, type_inferred boolean, occurred_at timestamptz, received_at timestamptz,
                   candidate_id text, candidate_name text, candidate_email text, job_id text, job_title text, application_id text,
                   stage_from text, stage_to text, actor text, details jsonb, snapshot jsonb)`,
          params: [JSON.stringify(eventRows)],
        });
      }

      const stageRows = batch.flatMap(({ delivery, outcome }) =>
        outcome.events.flatMap((e) =>
          e.stages.map((st) => ({
            event_id: e.id,
            candidate_id: candidateOf(delivery.provider, e),
            job_key: st.jobKey,
            job_title: st.jobTitle,
            stage: st.stage,
            occurred_at: e.occurredAt,
            received_at: delivery.receivedAt,
          })),
        ),
      );
      if (stageRows.length > 0) {
        await tx.query({
          name: "outcome_insert_stages",
          text: `INSERT INTO event_stages (event_id, candidate_id, job_key, job_title, stage, occurred_at, received_at)
                 SELECT r.event_id, r.candidate_id, r.job_key, r.job_title, r.stage, r.occurred_at, r.received_at
                 FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, candidate_id text, job_key text, job_title text,
                   stage text, occurred_at timestamptz, received_at timestamptz)`,
          params: [JSON.stringify(stageRows)],
        });
      }

      const affected = new Set([...candidateIds.values(), ...removed.map((r) => r.candidate_id)]);
      if (affected.size > 0) await refreshCandidates(tx, [...affected].sort());

      const processedAt = new Date();
      await tx.query({
        name: "outcome_update_deliveries",
        text: `UPDATE deliveries d SET status = r.status, error = r.error, event_type = r.event_type, schema_drift = r.schema_drift,
                 processed_at = r.processed_at, process_count = d.process_count + 1
               FROM jsonb_to_recordset($1::jsonb) AS r(id text, status text, error text, event_type text, schema_drift jsonb,
                 processed_at timestamptz)
               WHERE d.id = r.id`,
        params: [
          JSON.stringify(
            batch.map(({ delivery, outcome }) => ({
              id: delivery.id,
              status: outcome.status,
              error: outcome.error,
              event_type: outcome.eventType,
              schema_drift: outcome.drift.length > 0 ? outcome.drift : null,
              processed_at: processedAt,
            })),
          ),
        ],
      });
    }),
  );
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

/**
 * Latest-known state, taken from the newest event by (occurred, received, id): a late older event
 * changes nothing. Per job: the latest stage and since when (the start of its latest run).
 */
async function refreshCandidates(tx: Sql, candidateIds: string[]): Promise<void> {
  const params = [ids(candidateIds)];
  await tx.query({ name: "refresh_delete_stages", text: `DELETE FROM candidate_stages WHERE candidate_id IN ${idList}`, params });
  await tx.query({
    name: "refresh_insert_stages",
    text: `INSERT INTO candidate_stages (candidate_id, job_key, job_title, stage, since)
           SELECT s.candidate_id, s.job_key,
             (array_agg(s.job_title ORDER BY s.occurred_at DESC, s.received_at DESC, s.event_id DESC) FILTER (WHERE s.job_title IS NOT NULL))[1],
             (array_agg(s.stage ORDER BY s.occurred_at DESC, s.received_at DESC, s.event_id DESC))[1],
             max(s.occurred_at) FILTER (WHERE s.prev_stage IS DISTINCT FROM s.stage)
           FROM (
             SELECT es.*, LAG(es.stage) OVER (PARTITION BY es.candidate_id, es.job_key ORDER BY es.occurred_at, es.received_at, es.event_id) AS prev_stage
             FROM event_stages es WHERE es.candidate_id IN ${idList}
           ) s
           GROUP BY s.candidate_id, s.job_key`,
    params,
  });
  await tx.query({
    name: "refresh_update_candidates",
    text: `UPDATE candidates c SET
             event_count = agg.cnt,
             first_seen_at = COALESCE(agg.first_at, c.first_seen_at),
             last_event_at = COALESCE(agg.last_at, c.last_event_at),
             name = COALESCE((SELECT e.candidate_name FROM events e WHERE e.candidate_id = c.id AND e.candidate_name IS NOT NULL
                              ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC LIMIT 1), c.name),
             email = COALESCE((SELECT e.candidate_email FROM events e WHERE e.candidate_id = c.id AND e.candidate_email IS NOT NULL
                               ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC LIMIT 1), c.email),
             current_stage = (SELECT es.stage FROM event_stages es WHERE es.candidate_id = c.id
                              ORDER BY es.occurred_at DESC, es.received_at DESC, es.event_id DESC LIMIT 1),
             current_job = (SELECT es.job_title FROM event_stages es WHERE es.candidate_id = c.id
                            ORDER BY es.occurred_at DESC, es.received_at DESC, es.event_id DESC LIMIT 1),
             deleted_at = (SELECT CASE WHEN e.type IN ('deleted', 'merged') THEN e.occurred_at END FROM events e
                           WHERE e.candidate_id = c.id ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC LIMIT 1),
             merged_into_external_id = (SELECT e.details->>'newCandidateId' FROM events e WHERE e.candidate_id = c.id AND e.type = 'merged'
                                        ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC LIMIT 1),
             updated_at = now()
           FROM (SELECT ids.id, a.cnt, a.first_at, a.last_at
                 FROM ${idList} AS ids(id)
                 CROSS JOIN LATERAL (SELECT count(*)::int AS cnt, min(occurred_at) AS first_at, max(occurred_at) AS last_at
                                     FROM events WHERE candidate_id = ids.id) a) agg
           WHERE c.id = agg.id`,
    params,
  });
}
