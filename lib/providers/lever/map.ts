import { formatDriftNotes, neededDriftProblem, parseTolerant } from "../shared/drift";
import type { IncomingDelivery, MapResult, NormalizedEventType } from "../types";
import { leverWebhookSchema } from "./schemas";

/** The candidate events; candidateArchiveChange is rejected or unrejected by its toArchived. */
export const leverEvents = {
  applicationCreated: "applied",
  candidateStageChange: "stage_changed",
  candidateArchiveChange: "rejected",
  candidateHired: "hired",
  candidateDeleted: "deleted",
} as const satisfies Record<string, NormalizedEventType>;
export type LeverEvent = keyof typeof leverEvents;

/** Documented events that are not candidate history. */
const otherDocumentedEvents = ["interviewCreated", "interviewUpdated", "interviewDeleted", "contactCreated", "contactUpdated"];

/**
 * What the history needs from a Lever body: the event, its time, the candidacy id (opportunityId, or
 * the legacy candidateId), the stage ids and whether the opportunity is archived. Anything else of
 * another type is a drift note.
 */
export const leverNeededPaths = ["event", "triggeredAt", "data.opportunityId", "data.candidateId", "data.fromStageId", "data.toStageId", "data.toArchived"] as const;

export function mapLeverBody(body: unknown, _delivery?: IncomingDelivery): MapResult {
  const raw = body as { event?: unknown; data?: Record<string, unknown> | null } | null;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || typeof raw.event !== "string" || raw.event === "") {
    return { status: "failed", providerEvent: null, error: 'body is not a Lever webhook: expected a JSON object with an "event" string', drift: [] };
  }
  const name = raw.event.slice(0, 100);
  if (!Object.hasOwn(leverEvents, raw.event)) {
    const reason = otherDocumentedEvents.includes(raw.event)
      ? `Lever event "${name}" is not candidate history (interviews and contacts are not tracked)`
      : `not understood: Lever event "${name}" is not turned into history; the candidate events are ${Object.keys(leverEvents).join(", ")}`;
    return { status: "ignored", providerEvent: name, reason, drift: [] };
  }
  const event = raw.event as LeverEvent;

  const parsed = parseTolerant(leverWebhookSchema, body);
  const drift = formatDriftNotes(parsed.notes);
  const problem = neededDriftProblem(parsed.notes, leverNeededPaths);
  if (problem) return { status: "failed", providerEvent: event, error: problem, drift };
  if (!parsed.success) return { status: "failed", providerEvent: event, error: "body does not match Lever's envelope (event, triggeredAt, token, signature, data)", drift };
  const data = parsed.data.data ?? {};

  const externalId = data.opportunityId || data.candidateId;
  if (!externalId) {
    // The settings page's "test" button posts a candidateHired with `"data": {}`.
    if (raw.data !== null && typeof raw.data === "object" && Object.keys(raw.data).length === 0) {
      return { status: "ignored", providerEvent: event, reason: "Lever test request: data is empty, no opportunity to record", drift };
    }
    return { status: "failed", providerEvent: event, error: "data.opportunityId is missing; Lever names the candidacy by its opportunity id", drift };
  }

  let occurredAt: Date | null = null;
  if (typeof parsed.data.triggeredAt === "number") {
    occurredAt = new Date(parsed.data.triggeredAt);
    if (Number.isNaN(occurredAt.getTime())) {
      return { status: "failed", providerEvent: event, error: `triggeredAt ${parsed.data.triggeredAt} is not a time in milliseconds since 1970`, drift };
    }
  }

  let type: NormalizedEventType = leverEvents[event];
  let stage: { from: string | null; to: string | null } | null = null;
  const details: Record<string, unknown> = {};
  if (event === "candidateStageChange") {
    if (!data.toStageId) return { status: "failed", providerEvent: event, error: "data.toStageId is missing from a candidateStageChange", drift };
    stage = { from: data.fromStageId ?? null, to: data.toStageId };
  }
  if (event === "candidateArchiveChange") {
    const rawTo = raw.data?.toArchived;
    if (rawTo === undefined) {
      return { status: "failed", providerEvent: event, error: "data.toArchived is missing: an archive change states the new archive state (null when unarchived)", drift };
    }
    type = rawTo === null ? "unrejected" : "rejected";
    if (data.toArchived?.reason) details.archiveReasonId = data.toArchived.reason;
  }
  if (data.contactId) details.contactId = data.contactId;
  if (data.candidateId && data.candidateId !== externalId) details.candidateId = data.candidateId;
  if (data.deletedBy) details.deletedBy = data.deletedBy;
  if (parsed.data.id) details.eventId = parsed.data.id;

  return {
    status: "processed",
    providerEvent: event,
    drift,
    events: [
      {
        type,
        providerEvent: event,
        typeInferred: false,
        occurredAt,
        // Lever's events carry ids only; the candidate is known by its opportunity id.
        candidate: { externalId, name: null, email: null },
        job: null,
        applicationId: data.applicationId ?? null,
        stage,
        actor: null,
        details: Object.keys(details).length > 0 ? details : null,
        snapshot: raw.data ?? null,
      },
    ],
  };
}
