import type { z } from "zod";
import { findUnknownKeys } from "../shared/drift";
import type { IncomingDelivery, MapResult, NormalizedEvent } from "../types";
import { talviewCandidateSchema, talviewVersionedSnapshotSchema } from "./schemas";
import { parseIsoTimestamp } from "../shared/time";

export const talviewEvents = {
  "can.candidate.created": "created",
  "can.candidate.updated": "updated",
  "can.candidate.deleted": "deleted",
} as const;
export type TalviewEvent = keyof typeof talviewEvents;

const acceptedEventValues = Object.keys(talviewEvents).flatMap((dot) => [dot, dot.replaceAll(".", "_")]);

/**
 * Talview names an event two ways (subscription key `can.candidate.created`, event type
 * `can_candidate_created`); subscribers may paste either into `?event=`, so both resolve to the dot form.
 */
export function parseTalviewEvent(value: string): TalviewEvent | null {
  const dot = value.trim().replaceAll("_", ".");
  return Object.hasOwn(talviewEvents, dot) ? (dot as TalviewEvent) : null;
}

// Deeper than the shared default because a `{old,new}` body adds one level above
// projects[].technologies[].
const DRIFT_DEPTH = 6;

export function mapTalview(body: unknown, delivery: IncomingDelivery): MapResult {
  const rawEvent = delivery.query.get("event");
  let event: TalviewEvent | null = null;
  if (rawEvent !== null) {
    event = parseTalviewEvent(rawEvent);
    if (event === null) {
      return {
        status: "failed",
        providerEvent: rawEvent.slice(0, 100) || null,
        error:
          `Unknown Talview event ${JSON.stringify(rawEvent.slice(0, 100))} in the endpoint URL's ?event= parameter; ` +
          `accepted values: ${acceptedEventValues.join(", ")}.`,
        drift: [],
      };
    }
  }

  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { status: "failed", providerEvent: event, error: "Talview body is not a JSON object.", drift: [] };
  }

  const versioned = isVersionedSnapshot(body);
  const schema: z.ZodType = versioned ? talviewVersionedSnapshotSchema : talviewCandidateSchema;
  const drift = findUnknownKeys(schema, body, "", DRIFT_DEPTH);
  const rawCandidate = versioned ? (body as { new: unknown }).new : body;
  const previous = versioned ? ((body as { old?: unknown }).old ?? null) : null;

  const parsed = talviewCandidateSchema.safeParse(rawCandidate);
  if (!parsed.success) {
    const where = versioned ? "new." : "";
    const error = parsed.error.issues
      .map((issue) => `${where}${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    return { status: "failed", providerEvent: event, error: `Talview candidate rejected: ${error}`, drift };
  }
  const candidate = parsed.data;

  const typeInferred = event === null;
  const providerEvent: TalviewEvent =
    event ?? (versioned || !sameInstant(candidate.created_at, candidate.updated_at) ? "can.candidate.updated" : "can.candidate.created");
  const type = talviewEvents[providerEvent];

  let occurredAt: Date | null = null;
  // A deletion arrives as the last stored snapshot (is_deleted is filtered out), so its updated_at is
  // the time of the previous change, not of the deletion: the received time is the better clock.
  if (type !== "deleted" && candidate.updated_at != null) {
    occurredAt = parseIsoTimestamp(candidate.updated_at);
    if (occurredAt === null) {
      return {
        status: "failed",
        providerEvent,
        error: `Talview updated_at ${JSON.stringify(candidate.updated_at)} is not an ISO 8601 timestamp.`,
        drift,
      };
    }
  }

  const details: Record<string, unknown> = {};
  if (candidate.external_id != null) details.externalId = candidate.external_id;
  if (versioned) details.previous = previous;

  const normalized: NormalizedEvent = {
    type,
    providerEvent,
    typeInferred,
    occurredAt,
    candidate: {
      externalId: String(candidate.id),
      name: joinName([candidate.first_name, candidate.middle_name, candidate.last_name]),
      email: candidate.email ?? null,
    },
    job: null,
    applicationId: null,
    stage: null,
    actor: candidate.updated_by != null ? `talview-user:${String(candidate.updated_by)}` : null,
    details: Object.keys(details).length > 0 ? details : null,
    snapshot: rawCandidate,
  };
  return { status: "processed", providerEvent, events: [normalized], drift };
}

function isVersionedSnapshot(body: object): boolean {
  const value = (body as Record<string, unknown>).new;
  return !Object.hasOwn(body, "id") && value !== null && typeof value === "object" && !Array.isArray(value);
}

function joinName(parts: Array<string | null | undefined>): string | null {
  const name = parts
    .filter((part): part is string => typeof part === "string" && part.trim() !== "")
    .map((part) => part.trim())
    .join(" ");
  return name === "" ? null : name;
}

function sameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return false;
  if (a === b) return true;
  const left = parseIsoTimestamp(a);
  const right = parseIsoTimestamp(b);
  return left !== null && right !== null && left.getTime() === right.getTime();
}

