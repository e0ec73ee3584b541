/**
 * Fast seeding through the real storage path for the benchmarks. Every delivery is mapped by the
 * provider module (normalizeDelivery, the same code as ingest and reprocess). Per candidate, the
 * last delivery is saved with saveProcessingOutcome (events, event_stages, and the aggregate
 * refresh: candidate_stages, counts, name, current stage, deletion); the events of the others are
 * written before it with createMany using saveProcessingOutcome's column mapping, because one
 * transaction per delivery re-aggregates the whole candidate each time (quadratic in the history
 * length). Candidate rows (as saveProcessingOutcome's upsert creates them) and the raw delivery
 * rows (body bytes and all) are inserted in bulk with INSERT … SELECT FROM jsonb_populate_recordset.
 */
import { createHash } from "node:crypto";
import { createEndpoint } from "../../lib/db/endpoints";
import type { Sql } from "../../lib/db/sql";
import { saveProcessingOutcome } from "../../lib/db/events";
import type { EventRow, ProcessingOutcome } from "../../lib/ingest/outcome";
import { Prisma, type PrismaClient } from "../../lib/db/generated/client";
import { newId } from "../../lib/ids";
import { normalizeDelivery, type StoredDelivery } from "../../lib/ingest/process-delivery";
import type { BenchDelivery } from "./long-histories";

const CHUNK = 500;

export async function createBenchEndpoint(prisma: PrismaClient, provider: string): Promise<string> {
  const id = newId("ep");
  await createEndpoint(prisma, { id, provider, name: `bench ${provider}`, secret: null });
  return id;
}

function dbJson(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}

/** The events row exactly as saveProcessingOutcome writes it. */
function eventData(delivery: StoredDelivery, e: EventRow, candidateId: string) {
  return {
    id: e.id, deliveryId: delivery.id, seq: e.seq, endpointId: delivery.endpointId, provider: delivery.provider,
    type: e.type, providerEvent: e.providerEvent, typeInferred: e.typeInferred, occurredAt: e.occurredAt,
    receivedAt: delivery.receivedAt, candidateId, candidateName: e.candidateName, candidateEmail: e.candidateEmail,
    jobId: e.jobId, jobTitle: e.jobTitle, applicationId: e.applicationId, stageFrom: e.stageFrom, stageTo: e.stageTo,
    actor: e.actor, details: dbJson(e.details), snapshot: dbJson(e.snapshot),
  };
}

async function chunked<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

export interface SeedResult {
  deliveries: number;
  events: number;
  eventStages: number;
  /** provider external id → candidates.id */
  candidateIds: Map<string, string>;
}

/** Stores and processes `deliveries` (one provider, one endpoint), received `receivedDelayMs` after they occurred. */
export async function seedDeliveries(
  db: { prisma: PrismaClient; sql: Sql },
  endpointId: string,
  provider: string,
  deliveries: BenchDelivery[],
  receivedDelayMs = 2_000,
): Promise<SeedResult> {
  const { prisma } = db;
  const stored: { delivery: StoredDelivery; outcome: ProcessingOutcome; sha: string }[] = deliveries.map((d) => {
    const delivery: StoredDelivery = {
      id: newId("dlv"),
      endpointId,
      provider,
      receivedAt: new Date(d.occurredAt.getTime() + receivedDelayMs),
      method: d.method,
      query: new URLSearchParams(d.query ?? {}).toString(),
      headers: { "content-type": d.contentType },
      contentType: d.contentType,
      body: d.body,
    };
    const outcome = normalizeDelivery(delivery);
    if (outcome.status !== "processed") throw new Error(`bench delivery not processed (${outcome.status}): ${outcome.error}`);
    return { delivery, outcome, sha: createHash("sha256").update(d.body).digest("hex") };
  });

  // The raw deliveries are not read by the timeline; one INSERT … SELECT per chunk is much faster than createMany.
  const deliveryColumns =
    "id, endpoint_id, provider, received_at, method, query, headers, content_type, body, body_sha256, idempotency_key, idempotency_source, status, process_count";
  await chunked(stored, (chunk) =>
    prisma.$executeRawUnsafe(
      `INSERT INTO deliveries (${deliveryColumns}) SELECT ${deliveryColumns} FROM jsonb_populate_recordset(NULL::deliveries, $1::jsonb)`,
      JSON.stringify(
        chunk.map(({ delivery, sha }) => ({
          id: delivery.id, endpoint_id: endpointId, provider, received_at: delivery.receivedAt.toISOString(), method: delivery.method,
          query: delivery.query, headers: delivery.headers, content_type: delivery.contentType,
          body: `\\x${Buffer.from(delivery.body).toString("hex")}`, body_sha256: sha,
          // As if each send carried its own delivery-id header: simulated bodies can repeat byte for byte.
          idempotency_key: `bench:${delivery.id}`, idempotency_source: "bench delivery id", status: "received", process_count: 0,
        })),
      ),
    ),
  );
  await chunked(stored, (chunk) =>
    prisma.idempotencyKey.createMany({ data: chunk.map(({ delivery }) => ({ endpointId, key: `bench:${delivery.id}`, deliveryId: delivery.id })) }),
  );

  // Per candidate (by the external id of the delivery's first event): all but the last in bulk, then the last.
  const byCandidate = new Map<string, typeof stored>();
  for (const item of stored) {
    const key = item.outcome.events[0].candidateExternalId;
    const list = byCandidate.get(key);
    if (list) list.push(item);
    else byCandidate.set(key, [item]);
  }
  const save = (item: (typeof stored)[number]) =>
    saveProcessingOutcome(db.sql, { delivery: item.delivery, outcome: item.outcome, newCandidateId: () => newId("cand") });

  // Candidates rows as saveProcessingOutcome first inserts them; its refresh fills in the rest later.
  const firstSeen = [...byCandidate].map(([externalId, items]) => ({
    id: newId("cand"), provider, external_id: externalId, first_seen_at: items[0].outcome.events[0].occurredAt.toISOString(),
  }));
  await chunked(firstSeen, (chunk) =>
    prisma.$executeRawUnsafe(
      `INSERT INTO candidates (id, provider, external_id, first_seen_at, last_event_at, created_at, updated_at)
       SELECT id, provider, external_id, first_seen_at, first_seen_at, now(), now() FROM jsonb_populate_recordset(NULL::candidates, $1::jsonb)
       ON CONFLICT (provider, external_id) DO UPDATE SET updated_at = now()`,
      JSON.stringify(chunk),
    ),
  );
  const candidateIds = new Map<string, string>();
  const rows = await prisma.candidate.findMany({ where: { provider }, select: { id: true, externalId: true } });
  for (const row of rows) candidateIds.set(row.externalId, row.id);
  for (const item of stored) {
    for (const e of item.outcome.events) if (!candidateIds.has(e.candidateExternalId)) throw new Error(`unseeded candidate ${e.candidateExternalId}`);
  }

  const middle = [...byCandidate.values()].flatMap((items) => items.slice(0, -1));
  const events = middle.flatMap(({ delivery, outcome }) => outcome.events.map((e) => eventData(delivery, e, candidateIds.get(e.candidateExternalId)!)));
  const stages = middle.flatMap(({ delivery, outcome }) =>
    outcome.events.flatMap((e) =>
      e.stages.map((st) => ({
        eventId: e.id, candidateId: candidateIds.get(e.candidateExternalId)!, jobKey: st.jobKey, jobTitle: st.jobTitle,
        stage: st.stage, occurredAt: e.occurredAt, receivedAt: delivery.receivedAt,
      })),
    ),
  );
  await chunked(events, (chunk) => prisma.event.createMany({ data: chunk }));
  await chunked(stages, (chunk) => prisma.eventStage.createMany({ data: chunk }));
  const byEventType = new Map<string | null, string[]>();
  for (const { delivery, outcome } of middle) byEventType.set(outcome.eventType, [...(byEventType.get(outcome.eventType) ?? []), delivery.id]);
  for (const [eventType, ids] of byEventType) {
    await chunked(ids, (chunk) =>
      prisma.delivery.updateMany({ where: { id: { in: chunk } }, data: { status: "processed", eventType, processedAt: new Date(), processCount: 1 } }),
    );
  }

  // The last delivery of each candidate goes through the real transaction, which re-aggregates the candidate.
  for (const items of byCandidate.values()) await save(items.at(-1)!);

  const allEvents = stored.reduce((n, s) => n + s.outcome.events.length, 0);
  const allStages = stored.reduce((n, s) => n + s.outcome.events.reduce((m, e) => m + e.stages.length, 0), 0);
  return { deliveries: stored.length, events: allEvents, eventStages: allStages, candidateIds };
}
