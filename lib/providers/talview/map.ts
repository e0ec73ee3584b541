import type { z } from "zod";
import { joinName } from "../shared/text";
import { formatDriftNotes, neededDriftProblem, parseTolerant } from "../shared/drift";
import type { IncomingDelivery, MapResult, NormalizedEvent } from "../types";
import { talviewCandidateSchema, talviewVersionedSnapshotSchema, type TalviewCandidate } from "./schemas";
import { parseIsoTimestamp, readEventTime } from "../shared/time";

export { talviewEvents } from "./events";
import { talviewEvents } from "./events";
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

/**
 * What the history needs from a Talview body: the candidate id and its times (updated_at is the event
 * time; created_at tells a creation from an update when the URL names no event), in a bare candidate
 * or in the `new` half of a versioned snapshot. Anything else of another type is a drift note.
 */
export const talviewNeededPaths = ["id", "updated_at", "created_at", "new.id", "new.updated_at", "new.created_at"] as const;

export function mapTalview(body: unknown, delivery: IncomingDelivery): MapResult {
  const rawEvent = delivery.query.get("event");
  let event: TalviewEvent | null = null;
  if (rawEvent !== null) {
    event = parseTalviewEvent(rawEvent);
    if (event === null && rawEvent.trim() === "") {
      return {
        status: "failed",
        providerEvent: null,
        error: `The endpoint URL's ?event= parameter is empty; set it to one of ${acceptedEventValues.join(", ")}.`,
        drift: [],
      };
    }
    if (event === null) {
      const name = rawEvent.slice(0, 100);
      return {
        status: "ignored",
        providerEvent: name || null,
        reason:
          `not understood: Talview event ${JSON.stringify(name)} (from the endpoint URL's ?event=) is not turned into history; ` +
          `the candidate events are ${acceptedEventValues.join(", ")}.`,
        drift: [],
      };
    }
  }

  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { status: "failed", providerEvent: event, error: "Talview body is not a JSON object.", drift: [] };
  }

  const versioned = isVersionedSnapshot(body);
  const schema: z.ZodType = versioned ? talviewVersionedSnapshotSchema : talviewCandidateSchema;
  const parsed = parseTolerant(schema, body);
  const drift = formatDriftNotes(parsed.notes);
  const rawCandidate = versioned ? (body as { new: unknown }).new : body;
  const previous = versioned ? ((body as { old?: unknown }).old ?? null) : null;

  const problem = neededDriftProblem(parsed.notes, talviewNeededPaths);
  if (problem) return { status: "failed", providerEvent: event, error: `Talview candidate rejected: ${problem}`, drift };
  if (!parsed.success) {
    const error = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
    return { status: "failed", providerEvent: event, error: `Talview candidate rejected: ${error}`, drift };
  }
  const candidate = (versioned ? (parsed.data as { new: TalviewCandidate }).new : parsed.data) as TalviewCandidate;

  const typeInferred = event === null;
  const providerEvent: TalviewEvent =
    event ?? (versioned || !sameInstant(candidate.created_at, candidate.updated_at) ? "can.candidate.updated" : "can.candidate.created");
  const type = talviewEvents[providerEvent];

  let occurredAt: Date | null = null;
  // A deletion arrives as the last stored snapshot (is_deleted is filtered out), so its updated_at is
  // the time of the previous change, not of the deletion: the received time is the better clock.
  if (type !== "deleted") {
    const time = readEventTime(candidate.updated_at, versioned ? "new.updated_at" : "updated_at");
    if (!time.ok) return { status: "failed", providerEvent, error: `Talview ${time.error}`, drift };
    occurredAt = time.date;
    if (time.note) drift.push(time.note);
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

function sameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return false;
  if (a === b) return true;
  const left = parseIsoTimestamp(a);
  const right = parseIsoTimestamp(b);
  return left !== null && right !== null && left.getTime() === right.getTime();
}

