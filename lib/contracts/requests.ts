import { z } from "zod";
import { permissionSchema, roleSchema } from "../auth/roles";
import { deliveryStatuses } from "./delivery-status";
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

/**
 * The candidate filters, one meaning wherever candidates are filtered: the candidate list, the
 * event list and the events export (lib/db/candidate-filters.ts turns them into SQL).
 */
const candidateFilterShape = {
  /** Part of the name or email (any case, accents ignored), or the provider's candidate id. */
  q: z.string().trim().max(200).optional(),
  /** A current stage whose name contains it (any case), in any job or in `job`. */
  stage: z.string().trim().max(200).optional(),
  /** A job whose id is it, or whose title contains it (any case). */
  job: z.string().trim().max(200).optional(),
  /** Deleted (and merged-away) candidates: listed by default, `exclude`d, or `only` them. */
  deleted: z.enum(["exclude", "only"]).optional(),
  status: z.enum(candidateStatuses).optional(),
  /** Test candidates ("Send test delivery") and their events are left out unless includeTest=1. */
  includeTest: flag,
};

export const listCandidatesQuerySchema = z.strictObject({
  ...candidateFilterShape,
  provider: z.enum(providerIds).optional(),
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
  /** The candidate filters, as GET /api/candidates. */
  ...candidateFilterShape,
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

export const createTokenSchema = z.object({
  name: z.string().trim().min(1).max(200),
  scopes: z.array(permissionSchema).min(1).transform((s) => [...new Set(s)]),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  name: z.string().trim().min(1).max(200),
  role: roleSchema,
  canExport: z.boolean().default(false),
});

export const updateUserSchema = z
  .object({ name: z.string().trim().min(1).max(200), role: roleSchema, canExport: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "give at least one of name, role, canExport");

export const auditQuerySchema = z.object({
  actor: z.string().trim().max(200).optional(),
  action: z.string().trim().max(100).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().regex(/^\d{1,19}$/, "cursor is not one this API issued; start again without it").optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const timelineQuerySchema = z.strictObject({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  noise: z.enum(["true", "false", "1", "0"]).default("false").transform((v) => v === "true" || v === "1"),
});

export const eventChangesQuerySchema = z.strictObject({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1_000).default(500),
  noise: timelineQuerySchema.shape.noise,
});

export const bulkReprocessQuerySchema = listDeliveriesQuerySchema.omit({ cursor: true, limit: true });

export const endpointActivityQuerySchema = z.strictObject({ days: z.coerce.number().int().min(1).max(90).default(14) });

/** GET /api/deliveries?status=rejected: the delivery log's view of requests refused before storage. */
export const listRejectedQuerySchema = z.strictObject({
  status: z.literal("rejected"),
  endpointId: z.string().max(100).optional(),
  q: z.string().trim().max(200).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListRejectedQuery = z.infer<typeof listRejectedQuerySchema>;
