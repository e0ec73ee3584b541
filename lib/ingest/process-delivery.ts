import { createHash } from "node:crypto";
import type { PrismaClient } from "../db/generated/client";
import type { Sql } from "../db/sql";
import { getDeliveryForProcessing, markDeliveryFailed } from "../db/deliveries";
import { postgresSafeString } from "../db/postgres-safe";
import { saveProcessingBatch } from "../db/events";
import type { EventRow, ProcessingOutcome } from "./outcome";
import { newId } from "../ids";
import { getProvider } from "../providers/registry";
import type { IncomingDelivery, MapResult, NormalizedEvent } from "../providers/types";
import { classifyContentType, decodeBody } from "./decode-body";
import { applyAnonymizations } from "../erasure/anonymize";

/** Both ways to the database: Prisma for reads and admin writes, plain SQL for the processing path. */
export interface DbHandles {
  prisma: PrismaClient;
  sql: Sql;
}

/** The stored form of a delivery, as processing needs it (a fresh one or one read back for reprocess). */
export interface StoredDelivery {
  id: string;
  endpointId: string;
  provider: string;
  receivedAt: Date;
  method: string;
  query: string;
  headers: unknown;
  contentType: string | null;
  body: Uint8Array;
}

export function toIncoming(delivery: StoredDelivery): IncomingDelivery {
  return {
    method: delivery.method,
    headers: (delivery.headers ?? {}) as Record<string, string>,
    query: new URLSearchParams(delivery.query),
    body: Buffer.from(delivery.body.buffer, delivery.body.byteOffset, delivery.body.byteLength),
    contentType: delivery.contentType,
    receivedAt: delivery.receivedAt,
  };
}

/** Decode + validate + map, with no I/O: the same answer for a fresh delivery and a reprocess. */
export function normalizeDelivery(delivery: StoredDelivery): ProcessingOutcome {
  const provider = getProvider(delivery.provider);
  if (!provider) return failed(`provider "${delivery.provider}" is not known to this version of the app`, null);
  const incoming = toIncoming(delivery);
  const kind = classifyContentType(incoming.contentType, provider);
  if (!kind.ok) return failed(kind.reason, null);
  const decoded = decodeBody(incoming.body, kind.kind, provider);
  if (!decoded.ok) return failed(decoded.error, null);

  let result: MapResult;
  try {
    result = provider.map(decoded.value, incoming);
  } catch (error) {
    // A mapping bug must not lose the delivery: it is stored and can be reprocessed after a fix.
    return failed(`mapping raised an error: ${error instanceof Error ? error.message : String(error)}`, null);
  }
  const drift = [...result.drift, ...decoded.notes.map((n) => `(repaired) ${n}`)];
  if (result.status === "processed") {
    const tooLong = result.events.map(identifierProblem).find((p) => p !== null);
    if (tooLong) return { ...failed(tooLong, result.providerEvent), drift };
  }
  if (result.status === "failed") return { ...failed(result.error, result.providerEvent), drift };
  if (result.status === "ignored") {
    return { status: "ignored", error: result.reason, eventType: result.providerEvent, drift, events: [], ...(result.anonymize ? { anonymize: result.anonymize } : {}) };
  }
  const events: EventRow[] = result.events.map((e, seq) => ({
    // Deterministic ids: reprocessing the same delivery yields the same event ids, so links stay valid.
    id: `evt_${createHash("sha256").update(`${delivery.id}:${seq}`).digest("base64url").slice(0, 22)}`,
    seq,
    type: e.type,
    providerEvent: e.providerEvent,
    typeInferred: e.typeInferred,
    occurredAt: e.occurredAt ?? delivery.receivedAt,
    candidateExternalId: e.candidate.externalId,
    candidateName: e.candidate.name,
    candidateEmail: e.candidate.email,
    jobId: e.job?.id ?? null,
    jobTitle: label(e.job?.title ?? null),
    applicationId: e.applicationId,
    stageFrom: label(e.stage?.from ?? null),
    stageTo: label(e.stage?.to ?? null),
    actor: e.actor,
    details: e.details,
    snapshot: e.snapshot ?? null,
    stages: stageObservations(e),
  }));
  return { status: "processed", error: null, eventType: result.providerEvent, drift, events };
}

/** Ids are index keys; PostgreSQL refuses index entries over ~8 KB, and no ATS issues ids this long. */
const MAX_ID_LENGTH = 256;
/** Stage names and job titles are indexed for the list filters; longer ones are shortened. */
const MAX_LABEL_LENGTH = 500;

function identifierProblem(e: NormalizedEvent): string | null {
  const ids: [string, string | null | undefined][] = [
    ["candidate id", e.candidate.externalId],
    ["job id", e.job?.id],
    ...(e.stages ?? []).map((s) => ["job id", s.jobId] as [string, string | null]),
  ];
  const long = ids.find(([, v]) => typeof v === "string" && v.length > MAX_ID_LENGTH);
  return long ? `${long[0]} is ${long[1]!.length} characters long; at most ${MAX_ID_LENGTH} are accepted` : null;
}

function label(value: string | null): string | null {
  return value !== null && value.length > MAX_LABEL_LENGTH ? `${value.slice(0, MAX_LABEL_LENGTH - 1)}…` : value;
}

/** Stages the event states, one per job; an explicit list (idibu vacancies) wins over job + stage.to. */
function stageObservations(e: NormalizedEvent): EventRow["stages"] {
  const listed = e.stages ?? (e.stage?.to ? [{ jobId: e.job?.id ?? null, jobTitle: e.job?.title ?? null, stage: e.stage.to }] : []);
  const byJob = new Map<string, EventRow["stages"][number]>();
  for (const s of listed) byJob.set(s.jobId ?? "", { jobKey: s.jobId ?? "", jobTitle: label(s.jobTitle), stage: label(s.stage)! });
  return [...byJob.values()];
}

function failed(error: string, eventType: string | null): ProcessingOutcome {
  return { status: "failed", error, eventType, drift: [], events: [] };
}

/** Normalizes a stored delivery and saves the result, replacing earlier events of the same delivery. */
export async function processDelivery(sql: Sql, delivery: StoredDelivery): Promise<ProcessingOutcome> {
  const { outcomes, anonymized } = await saveProcessingBatch(sql, [{ delivery, outcome: normalizeDelivery(delivery) }], () => newId("cand"));
  await applyAnonymizations(sql, [{ provider: delivery.provider, outcome: outcomes[0] }], anonymized);
  return outcomes[0];
}

export type ReprocessResult =
  | { found: false }
  | { found: true; skipped: "duplicate"; outcome: null }
  /** The raw body was dropped (erasure or retention): there is nothing to rebuild the events from. */
  | { found: true; skipped: "bodiless"; reason: string; outcome: null }
  | { found: true; skipped: null; outcome: ProcessingOutcome };

export async function reprocessDelivery(db: DbHandles, id: string): Promise<ReprocessResult> {
  const delivery = await getDeliveryForProcessing(db.prisma, id);
  if (!delivery) return { found: false };
  // A duplicate's content already lives in the original delivery; processing it would double the events.
  if (delivery.status === "duplicate") return { found: true, skipped: "duplicate", outcome: null };
  if (delivery.bodyPurgedAt) return { found: true, skipped: "bodiless", reason: bodilessReason(delivery), outcome: null };
  return { found: true, skipped: null, outcome: await processDelivery(db.sql, delivery) };
}

export function processingFailure(error: unknown): string {
  return `the normalized events could not be stored: ${error instanceof Error ? error.message : String(error)}`.slice(0, 2_000);
}

/** Records why processing failed, so the delivery stops being retried; false when even that fails. */
export async function markProcessingFailed(prisma: PrismaClient, deliveryId: string, error: unknown): Promise<boolean> {
  try {
    await markDeliveryFailed(prisma, deliveryId, postgresSafeString(processingFailure(error)));
    return true;
  } catch {
    return false;
  }
}

/** Why a bodiless delivery cannot be reprocessed, in a sentence the API and the page show. */
export function bodilessReason(delivery: { bodyPurgedAt: Date | null; bodyPurgeReason: string | null }): string {
  const when = delivery.bodyPurgedAt ? ` on ${delivery.bodyPurgedAt.toISOString()}` : "";
  const why =
    delivery.bodyPurgeReason === "erased"
      ? "its candidate was erased"
      : delivery.bodyPurgeReason === "retention"
        ? "it was older than the raw-body retention period (Settings → Retention)"
        : "it was purged";
  return `this delivery's raw body was dropped${when} because ${why}; with no body there is nothing to reprocess (its events, if any, stay as they are)`;
}
