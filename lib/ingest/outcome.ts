/**
 * What processing one delivery produces (lib/ingest/process-delivery.ts) and lib/db/events.ts saves
 * in one call: the delivery's status and its normalized events, each with its stage observations.
 */
import type { DeliveryStatus } from "../contracts/delivery-status";

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
  /** The provider anonymized this candidate: applied to the stored data after the save (lib/erasure/anonymize.ts). */
  anonymize?: { externalId: string; fields: string[] };
}
