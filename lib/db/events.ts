import { Prisma, type PrismaClient } from "./generated/client";
import type { DeliveryStatus } from "./deliveries";
import { postgresSafe } from "./postgres-safe";

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

function json(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}

/**
 * Replaces the delivery's events with the outcome's, in one transaction, so processing and
 * reprocessing are idempotent. The candidate upsert takes the candidate's row lock: deliveries
 * for one candidate are serialized here, and every aggregate is recomputed from the events
 * themselves, so the result does not depend on arrival order.
 */
export async function saveProcessingOutcome(prisma: PrismaClient, options: SaveOutcomeOptions): Promise<void> {
  const { delivery } = options;
  const outcome = postgresSafe(options.outcome);
  await prisma.$transaction(
    async (tx) => {
      // Two processings of one delivery (a reprocess overlapping the recovery sweep, or two
      // instances) take turns here; otherwise both would delete and re-insert the same event ids.
      await tx.$queryRaw`SELECT id FROM deliveries WHERE id = ${delivery.id} FOR UPDATE`;
      const removed = await tx.$queryRaw<{ candidate_id: string }[]>`
        DELETE FROM events WHERE delivery_id = ${delivery.id} RETURNING candidate_id`;

      const externalIds = [...new Set(outcome.events.map((e) => e.candidateExternalId))].sort();
      const candidateIds = new Map<string, string>();
      for (const externalId of externalIds) {
        const firstAt = outcome.events.find((e) => e.candidateExternalId === externalId)!.occurredAt;
        const rows = await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO candidates (id, provider, external_id, first_seen_at, last_event_at, created_at, updated_at)
          VALUES (${options.newCandidateId()}, ${delivery.provider}, ${externalId}, ${firstAt}, ${firstAt}, now(), now())
          ON CONFLICT (provider, external_id) DO UPDATE SET updated_at = now()
          RETURNING id`;
        candidateIds.set(externalId, rows[0].id);
      }

      if (outcome.events.length > 0) {
        await tx.event.createMany({
          data: outcome.events.map((e) => ({
            id: e.id,
            deliveryId: delivery.id,
            seq: e.seq,
            endpointId: delivery.endpointId,
            provider: delivery.provider,
            type: e.type,
            providerEvent: e.providerEvent,
            typeInferred: e.typeInferred,
            occurredAt: e.occurredAt,
            receivedAt: delivery.receivedAt,
            candidateId: candidateIds.get(e.candidateExternalId)!,
            candidateName: e.candidateName,
            candidateEmail: e.candidateEmail,
            jobId: e.jobId,
            jobTitle: e.jobTitle,
            applicationId: e.applicationId,
            stageFrom: e.stageFrom,
            stageTo: e.stageTo,
            actor: e.actor,
            details: json(e.details),
            snapshot: json(e.snapshot),
          })),
        });
      }

      const stageRows = outcome.events.flatMap((e) =>
        e.stages.map((st) => ({
          eventId: e.id,
          candidateId: candidateIds.get(e.candidateExternalId)!,
          jobKey: st.jobKey,
          jobTitle: st.jobTitle,
          stage: st.stage,
          occurredAt: e.occurredAt,
          receivedAt: delivery.receivedAt,
        })),
      );
      if (stageRows.length > 0) await tx.eventStage.createMany({ data: stageRows });

      const affected = [...new Set([...candidateIds.values(), ...removed.map((r) => r.candidate_id)])].sort();
      for (const candidateId of affected) await refreshCandidate(tx, candidateId);

      await tx.delivery.update({
        where: { id: delivery.id },
        data: {
          status: outcome.status,
          error: outcome.error,
          eventType: outcome.eventType,
          schemaDrift: outcome.drift.length > 0 ? outcome.drift : Prisma.DbNull,
          processedAt: new Date(),
          processCount: { increment: 1 },
        },
        select: { id: true },
      });
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/** Latest-known state, taken from the newest event by (occurred, received, id): a late older event changes nothing. */
async function refreshCandidate(tx: Tx, candidateId: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM candidate_stages WHERE candidate_id = ${candidateId}`;
  // Per job: the latest stage, and since when (the start of the latest run of that stage).
  await tx.$executeRaw`
    WITH s AS (
      SELECT job_key, job_title, stage, occurred_at,
             LAG(stage) OVER (PARTITION BY job_key ORDER BY occurred_at, received_at, event_id) AS prev_stage,
             ROW_NUMBER() OVER (PARTITION BY job_key ORDER BY occurred_at DESC, received_at DESC, event_id DESC) AS newest
      FROM event_stages WHERE candidate_id = ${candidateId}
    )
    INSERT INTO candidate_stages (candidate_id, job_key, job_title, stage, since)
    SELECT ${candidateId}, l.job_key,
           (SELECT t.job_title FROM s t WHERE t.job_key = l.job_key AND t.job_title IS NOT NULL ORDER BY t.newest LIMIT 1),
           l.stage,
           (SELECT max(c.occurred_at) FROM s c WHERE c.job_key = l.job_key AND c.prev_stage IS DISTINCT FROM c.stage)
    FROM s l WHERE l.newest = 1`;
  await tx.$executeRaw`
    UPDATE candidates c SET
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
    FROM (SELECT count(*)::int AS cnt, min(occurred_at) AS first_at, max(occurred_at) AS last_at
          FROM events WHERE candidate_id = ${candidateId}) agg
    WHERE c.id = ${candidateId}`;
}
