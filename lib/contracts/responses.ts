import { z } from "zod";
import { deliveryStatuses } from "./delivery-status";
import { candidateStatuses, jobStatuses } from "../history/status";
import { normalizedEventTypes, providerIds } from "../providers/types";

/*
 * The wire shapes of the read API. The routes' integration tests parse every response with these,
 * and the dashboard's fetchers parse with the same schemas, so both sides agree on one contract.
 */

const isoDate = z.iso.datetime({ offset: true });
const jsonValue = z.unknown();

export const candidateSummarySchema = z.object({
  id: z.string(),
  provider: z.enum(providerIds),
  externalId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  currentStage: z.string().nullable(),
  currentJob: z.string().nullable(),
  eventCount: z.number().int(),
  firstSeenAt: isoDate,
  lastEventAt: isoDate,
  deletedAt: isoDate.nullable(),
  mergedIntoExternalId: z.string().nullable(),
  status: z.enum(candidateStatuses),
  /** Created by "Send test delivery". */
  isTest: z.boolean(),
  stages: z.array(
    z.object({
      jobKey: z.string(),
      jobTitle: z.string().nullable(),
      stage: z.string(),
      since: isoDate,
      status: z.enum(jobStatuses),
      statusSince: isoDate.nullable(),
    }),
  ),
});
export type CandidateSummary = z.infer<typeof candidateSummarySchema>;

const mergeTargetSchema = z.object({ externalId: z.string(), id: z.string().nullable(), name: z.string().nullable() });

export const candidateListSchema = z.object({
  candidates: z.array(candidateSummarySchema.extend({ mergedInto: mergeTargetSchema.nullable() })),
  nextCursor: z.string().nullable(),
});
export type CandidateList = z.infer<typeof candidateListSchema>;
export type CandidateListRow = CandidateList["candidates"][number];

export const stageSpanSchema = z.object({ stage: z.string(), enteredAt: isoDate, leftAt: isoDate.nullable(), durationMs: z.number() });

export const candidateViewSchema = candidateSummarySchema.omit({ stages: true, mergedIntoExternalId: true }).extend({
  /** The jobs with the latest stage entries, at most 50 (CANDIDATE_JOBS_SHOWN); currentStageCount counts them all. */
  currentStages: candidateSummarySchema.shape.stages,
  currentStageCount: z.number().int(),
  /** The same bound: the 50 jobs entered last; stagePathCount counts them all. */
  stagePaths: z.array(
    z.object({
      jobKey: z.string(),
      jobTitle: z.string().nullable(),
      spans: z.array(stageSpanSchema),
      status: z.enum(jobStatuses),
      /** When the application was hired, rejected or withdrawn: the current stage's clock stopped there. */
      closedAt: isoDate.nullable(),
    }),
  ),
  stagePathCount: z.number().int(),
  mergedInto: mergeTargetSchema.nullable(),
  mergedFrom: z.array(z.object({ id: z.string(), externalId: z.string(), name: z.string().nullable() })),
  deletedApplicationIds: z.array(z.string()),
});
export type CandidateView = z.infer<typeof candidateViewSchema>;

export const changeSchema = z.object({
  path: z.string(),
  kind: z.enum(["added", "removed", "changed"]),
  before: jsonValue,
  after: jsonValue,
  noise: z.boolean(),
});
export type ChangeView = z.infer<typeof changeSchema>;

export const timelineEventSchema = z.object({
  id: z.string(),
  type: z.enum(normalizedEventTypes),
  providerEvent: z.string().nullable(),
  typeInferred: z.boolean(),
  occurredAt: isoDate,
  receivedAt: isoDate,
  provider: z.enum(providerIds),
  endpointId: z.string(),
  deliveryId: z.string(),
  job: z.object({ id: z.string().nullable(), title: z.string().nullable() }).nullable(),
  applicationId: z.string().nullable(),
  stage: z.object({ from: z.string().nullable(), to: z.string().nullable() }).nullable(),
  /** The first jobs whose stage moved, by job id; stageChangeCount says how many there are. */
  stageChanges: z.array(z.object({ jobId: z.string().nullable(), jobTitle: z.string().nullable(), from: z.string().nullable(), to: z.string() })),
  stageChangeCount: z.number().int(),
  /** A `stage_changed` read from a snapshot (the provider sent an update whose stage moved), not sent as one. */
  stageDerived: z.boolean(),
  actor: z.string().nullable(),
  /** null with detailsOmitted when over the timeline's size bound (the raw delivery keeps everything). */
  details: jsonValue,
  detailsOmitted: z.boolean(),
  /** The first changes by path, bounded in count and size; changeCount says how many there are. */
  changes: z.array(changeSchema),
  changeCount: z.number().int(),
  hiddenNoiseCount: z.number().int(),
  diffBasis: z.enum(["previous", "initial", "versioned", "none"]),
  mergedFrom: z.object({ candidateId: z.string(), externalId: z.string() }).nullable(),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

export const timelineSchema = z.object({
  candidate: candidateViewSchema.omit({ stagePaths: true, stagePathCount: true }),
  events: z.array(timelineEventSchema),
  nextCursor: z.string().nullable(),
});
export type Timeline = z.infer<typeof timelineSchema>;

export const eventChangesSchema = z.object({
  eventId: z.string(),
  changeCount: z.number().int(),
  offset: z.number().int(),
  changes: z.array(changeSchema),
  nextOffset: z.number().int().nullable(),
});
export type EventChanges = z.infer<typeof eventChangesSchema>;

export const deliverySummarySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  provider: z.enum(providerIds),
  receivedAt: isoDate,
  method: z.string(),
  contentType: z.string().nullable(),
  status: z.enum(deliveryStatuses),
  error: z.string().nullable(),
  eventType: z.string().nullable(),
  schemaDrift: z.array(z.string()).nullable(),
  duplicateOfId: z.string().nullable(),
  idempotencyKey: z.string(),
  idempotencySource: z.string(),
  processedAt: isoDate.nullable(),
  processCount: z.number().int(),
  bodySha256: z.string(),
  /** When the raw body was dropped (erasure, retention): the row keeps its status, times, hash and size. */
  bodyPurgedAt: isoDate.nullable().optional(),
  bodyPurgeReason: z.enum(["erased", "retention"]).nullable().optional(),
  eventCount: z.number().int(),
});
export type DeliverySummary = z.infer<typeof deliverySummarySchema>;

export const deliveryListSchema = z.object({ deliveries: z.array(deliverySummarySchema), nextCursor: z.string().nullable() });

export const deliveryDetailSchema = deliverySummarySchema.extend({
  query: z.string(),
  headers: z.record(z.string(), z.string()),
  body: z.object({ base64: z.string(), text: z.string(), bytes: z.number().int(), purged: z.boolean().optional() }),
  /** When the body was rewritten without fields the provider anonymized (bodySha256 is still the received bytes' hash). */
  bodyRedactedAt: isoDate.nullable().optional(),
  redactedFields: z.array(z.string()).nullable().optional(),
});
export type DeliveryDetail = z.infer<typeof deliveryDetailSchema>;

export const reprocessResultSchema = z.object({
  id: z.string(),
  status: z.enum(deliveryStatuses),
  error: z.string().nullable(),
  eventType: z.string().nullable(),
  events: z.array(z.object({ id: z.string(), type: z.string() })),
});

export const endpointSchema = z.object({
  id: z.string(),
  provider: z.enum(providerIds),
  name: z.string(),
  enabled: z.boolean(),
  rejectedCount: z.number().int(),
  lastRejectedAt: isoDate.nullable(),
  lastRejectReason: z.string().nullable(),
  secretHint: z.string().nullable(),
  previousValidUntil: isoDate.nullable(),
  secretRotatedAt: isoDate.nullable(),
  urlRotatedAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  url: z.string(),
  /** After a URL rotation: the replaced URL, still receiving until previousUrlValidUntil. */
  previousUrl: z.string().nullable(),
  previousUrlValidUntil: isoDate.nullable(),
  signs: z.boolean(),
  setup: z
    .object({
      whereToPaste: z.string(),
      events: z.array(z.string()),
      signature: z.string(),
      urls: z.array(z.object({ event: z.string(), url: z.string() })).nullable(),
    })
    .nullable(),
})
  .extend({
    activity: z.object({
      lastDeliveryAt: isoDate.nullable(),
      lastDeliveryStatus: z.string().nullable(),
      last24h: z.object({
        processed: z.number().int(),
        ignored: z.number().int(),
        duplicate: z.number().int(),
        failed: z.number().int(),
        received: z.number().int(),
        rejected: z.number().int(),
      }),
      drift24h: z.object({ deliveries: z.number().int(), notes: z.number().int() }),
      ignoredEvents24h: z.array(z.object({ eventType: z.string(), count: z.number().int() })),
    }),
  });
export type EndpointView = z.infer<typeof endpointSchema>;
export const createdEndpointSchema = endpointSchema.extend({ secret: z.string().nullable() });
export const rotatedSecretSchema = z.object({ secret: z.string(), previousValidUntil: isoDate });
export const rotatedUrlSchema = z.object({ url: z.string(), previousUrlValidUntil: isoDate });
export const testDeliveryResultSchema = z.object({
  httpStatus: z.number().int(),
  deliveryId: z.string().nullable(),
  deliveryStatus: z.string().nullable(),
  message: z.string().nullable(),
  providerEvent: z.string(),
  candidateId: z.string().nullable(),
});
export const endpointListSchema = z.object({ endpoints: z.array(endpointSchema) });
/** DELETE /api/test-data: what "Delete test data" removed. */
export const deletedTestDataSchema = z.object({
  deleted: z.object({ candidates: z.number().int(), events: z.number().int(), deliveries: z.number().int() }),
});

export const eventSummarySchema = z.object({
  id: z.string(),
  type: z.enum(normalizedEventTypes),
  providerEvent: z.string().nullable(),
  typeInferred: z.boolean(),
  provider: z.enum(providerIds),
  endpointId: z.string(),
  deliveryId: z.string(),
  occurredAt: isoDate,
  receivedAt: isoDate,
  candidateId: z.string(),
  candidateName: z.string().nullable(),
  candidateEmail: z.string().nullable(),
  jobId: z.string().nullable(),
  jobTitle: z.string().nullable(),
  applicationId: z.string().nullable(),
  stageFrom: z.string().nullable(),
  stageTo: z.string().nullable(),
  stageDerived: z.boolean(),
  actor: z.string().nullable(),
  details: jsonValue,
});
/** GET /api/events/export-count: what an events export with the same filters writes. */
export const exportCountSchema = z.object({ events: z.number().int(), candidates: z.number().int() });
export const eventListSchema = z.object({ events: z.array(eventSummarySchema), nextCursor: z.string().nullable() });

/** GET and PUT /api/endpoints/{id}/stage-names: every stage id seen through the endpoint (or named on it), with its name. */
export const stageNamesSchema = z.object({
  endpointId: z.string(),
  /** The endpoint's names by stage id (the PUT body's shape). */
  names: z.record(z.string(), z.string()),
  /** Most recently seen first; a named stage not seen (yet) has lastSeenAt null. */
  stages: z.array(z.object({ stageId: z.string(), name: z.string().nullable(), lastSeenAt: isoDate.nullable() })),
});
export type StageNamesView = z.infer<typeof stageNamesSchema>;
export const erasureCountsSchema = z.object({
  candidates: z.number().int(),
  events: z.number().int(),
  deliveries: z.number().int(),
  idempotencyKeys: z.number().int(),
  refusedRequests: z.number().int().optional(),
});

/** An erasure record: no personal data (the erased candidates are known only by keyed hashes, never returned). */
export const erasureSchema = z.object({ id: z.string(), at: isoDate, actor: z.string(), counts: erasureCountsSchema });
export const erasureListSchema = z.object({ erasures: z.array(erasureSchema), nextCursor: z.string().nullable() });
export type ErasureView = z.infer<typeof erasureSchema>;

export const retentionSettingsSchema = z.object({
  rawBodyDays: z.number().int().nullable(),
  eventDays: z.number().int().nullable(),
  rejectedDays: z.number().int(),
});
export type RetentionSettingsView = z.infer<typeof retentionSettingsSchema>;

export const retentionRunSchema = z.object({
  rawBodies: z.number().int(),
  events: z.number().int(),
  candidates: z.number().int(),
  rejectedRequests: z.number().int(),
  endpointRejections: z.number().int(),
  idempotencyKeys: z.number().int(),
  /** False when another instance holds the retention lease: nothing was done here. */
  ran: z.boolean(),
});
export type RetentionRunView = z.infer<typeof retentionRunSchema>;
