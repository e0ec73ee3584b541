import { z } from "zod";
import { deliveryStatuses } from "../db/deliveries";
import { candidateStatuses } from "../history/status";
import { normalizedEventTypes, providerIds } from "../providers/types";

const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const isoDate = z.iso.datetime({ offset: true }).transform((v) => new Date(v));
const flag = z.enum(["1", "0", "true", "false"]).default("0").transform((v) => v === "1" || v === "true");

export const createEndpointSchema = z.strictObject({
  provider: z.enum(providerIds),
  name: z.string().trim().min(1).max(200),
  secret: z.string().min(8).max(500).optional(),
});
export type CreateEndpointInput = z.infer<typeof createEndpointSchema>;

export const updateEndpointSchema = z
  .strictObject({ name: z.string().trim().min(1).max(200).optional(), enabled: z.boolean().optional() })
  .refine((v) => v.name !== undefined || v.enabled !== undefined, "send name and/or enabled");

export const rotateSecretSchema = z.strictObject({
  /** How long the old secret keeps working; 0 retires it at once. */
  overlapHours: z.number().min(0).max(24 * 30).default(24),
  /** A secret the provider issued (Outhire may); generated when omitted. */
  secret: z.string().min(8).max(500).optional(),
});

/** POST /api/endpoints/{id}/rotate-url: the same overlap window as a secret rotation. */
export const rotateUrlSchema = rotateSecretSchema.pick({ overlapHours: true });

export const listCandidatesQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  provider: z.enum(providerIds).optional(),
  stage: z.string().trim().max(200).optional(),
  job: z.string().trim().max(200).optional(),
  /** Deleted (and merged-away) candidates: listed by default, `exclude`d, or `only` them. */
  deleted: z.enum(["exclude", "only"]).optional(),
  status: z.enum(candidateStatuses).optional(),
  /** Test candidates ("Send test delivery") are left out unless includeTest=1. */
  includeTest: flag,
  cursor: z.string().max(500).optional(),
  limit: limit(200, 50),
});
export type ListCandidatesQuery = z.infer<typeof listCandidatesQuerySchema>;

export const listEventsQuerySchema = z.strictObject({
  candidateId: z.string().max(100).optional(),
  provider: z.enum(providerIds).optional(),
  endpointId: z.string().max(100).optional(),
  type: z.enum(normalizedEventTypes).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** The candidate's name, email or provider id, as GET /api/candidates `q`. */
  q: z.string().trim().max(200).optional(),
  /** The candidate's current stage (and job), as GET /api/candidates. */
  stage: z.string().trim().max(200).optional(),
  job: z.string().trim().max(200).optional(),
  deleted: z.enum(["exclude", "only"]).optional(),
  status: z.enum(candidateStatuses).optional(),
  /** Events of test candidates are left out unless includeTest=1. */
  includeTest: flag,
  cursor: z.string().max(500).optional(),
  limit: limit(500, 50),
});
export type ListEventsQuery = z.infer<typeof listEventsQuerySchema>;

export const listDeliveriesQuerySchema = z.strictObject({
  endpointId: z.string().max(100).optional(),
  status: z.enum(deliveryStatuses).optional(),
  /** A delivery id, an idempotency key (the provider's delivery id) or the provider's candidate id. */
  q: z.string().trim().min(1).max(200).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  cursor: z.string().max(500).optional(),
  limit: limit(200, 50),
});
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuerySchema>;

/** GET /api/events/export.csv: the event list's filters (no paging), plus `bom=1` for Excel. */
export const exportEventsQuerySchema = listEventsQuerySchema.omit({ cursor: true, limit: true }).extend({ bom: flag });
export type ExportEventsQuery = z.infer<typeof exportEventsQuerySchema>;

/** GET /api/deliveries/export.csv: the delivery log's filters, `body=1` adds the body as UTF-8 text, `bom=1`. */
export const exportDeliveriesQuerySchema = listDeliveriesQuerySchema.omit({ cursor: true, limit: true, q: true, from: true, to: true }).extend({ bom: flag, body: flag });
export type ExportDeliveriesQuery = z.infer<typeof exportDeliveriesQuerySchema>;

/** GET /api/stats: test data is left out of the overview unless includeTest=1. */
export const statsQuerySchema = z.strictObject({ includeTest: flag });

/** A stage id as providers send it (Lever: a UUID) and the name shown for it. */
const stageIdKey = z.string().min(1).max(200);
/**
 * PUT /api/endpoints/{id}/stage-names: names by stage id. Only the stage ids sent change; an empty
 * name (or null) removes the name, so the id shows again.
 */
export const putStageNamesSchema = z.strictObject({
  names: z
    .record(stageIdKey, z.string().trim().max(200).nullable())
    .refine((names) => Object.keys(names).length <= 1_000, "at most 1,000 stage names at a time"),
});
export type PutStageNamesInput = z.infer<typeof putStageNamesSchema>;
/** Erasing a candidate is confirmed by typing its provider id (what the candidate page shows). */
export const eraseCandidateSchema = z.strictObject({ confirm: z.string().min(1).max(300) });

export const listErasuresQuerySchema = z.strictObject({ limit: limit(200, 50), cursor: z.string().optional() });

const days = (max: number) => z.number().int().min(1).max(max);
/** null keeps everything (the default for raw bodies and events). */
export const retentionSettingsInputSchema = z.strictObject({
  rawBodyDays: days(36_500).nullable(),
  eventDays: days(36_500).nullable(),
  rejectedDays: days(3_650),
});
