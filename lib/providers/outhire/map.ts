import { describeIssues } from "../shared/text";
import { formatDriftNotes, neededDriftProblem, parseTolerant } from "../shared/drift";
import { readEventTime } from "../shared/time";
import type { IncomingDelivery, MapResult, NormalizedEvent, NormalizedEventType } from "../types";
import { outhireEnvelopeSchema, outhireWebhookSchema } from "./schemas";

export const outhireEvents = {
  "candidate.applied": "applied",
  "candidate.stage_changed": "stage_changed",
} as const satisfies Record<string, NormalizedEventType>;
export type OuthireEvent = keyof typeof outhireEvents;

/**
 * What the history needs from an Outhire body: the event, its time, the candidate id, the job and
 * the stage change. Anything else of another type is a drift note.
 */
export const outhireNeededPaths = [
  "event",
  "occurred_at",
  "candidate.id",
  "job.id",
  "job.title",
  "stage_change.previous_stage",
  "stage_change.new_stage",
] as const;

export function mapOuthireBody(body: unknown, _delivery?: IncomingDelivery): MapResult {
  const envelope = outhireEnvelopeSchema.safeParse(body);
  if (!envelope.success || typeof envelope.data.event !== "string" || envelope.data.event === "") {
    return {
      status: "failed",
      providerEvent: null,
      error: 'body is not an Outhire webhook: expected a JSON object with an "event" string',
      drift: [],
    };
  }
  const name = envelope.data.event;
  if (!Object.hasOwn(outhireEvents, name)) {
    return {
      status: "ignored",
      providerEvent: name.slice(0, 100),
      reason: `not understood: Outhire event "${name.slice(0, 100)}" is not turned into history; the candidate events are ${Object.keys(outhireEvents).join(", ")}`,
      drift: [],
    };
  }
  const event = name as OuthireEvent;

  const parsed = parseTolerant(outhireWebhookSchema, body);
  const drift = formatDriftNotes(parsed.notes);
  const problem = neededDriftProblem(parsed.notes, outhireNeededPaths);
  if (problem) return { status: "failed", providerEvent: event, error: problem, drift };
  if (!parsed.success) return { status: "failed", providerEvent: event, error: describeIssues(parsed.error), drift };
  const data = parsed.data;

  const time = readEventTime(data.occurred_at, "occurred_at");
  if (!time.ok) return { status: "failed", providerEvent: event, error: time.error, drift };
  if (time.note) drift.push(time.note);

  const details: Record<string, unknown> = {};
  if (data.company?.id !== null && data.company?.id !== undefined) details.companyId = String(data.company.id);

  let stage: NormalizedEvent["stage"] = null;
  let actor: string | null = null;
  if (event === "candidate.stage_changed") {
    const change = data.stage_change;
    if (!change) {
      return { status: "failed", providerEvent: event, error: "stage_change is missing from a candidate.stage_changed body", drift };
    }
    stage = { from: change.previous_stage ?? null, to: change.new_stage ?? null };
    actor = change.changed_by ?? null;
    if (change.changed_by_user_id !== null && change.changed_by_user_id !== undefined) details.changedByUserId = change.changed_by_user_id;
  }

  const job = data.job;
  return {
    status: "processed",
    providerEvent: event,
    drift,
    events: [
      {
        type: outhireEvents[event],
        providerEvent: event,
        typeInferred: false,
        occurredAt: time.date,
        candidate: {
          externalId: String(data.candidate.id),
          name: data.candidate.name?.trim() || null,
          email: data.candidate.email?.trim() || null,
        },
        job: job ? { id: job.id === null || job.id === undefined ? null : String(job.id), title: job.title ?? null } : null,
        applicationId: null,
        stage,
        actor,
        details: Object.keys(details).length > 0 ? details : null,
        // The candidate exactly as received (the parsed copy leaves out values of another type).
        snapshot: (body as { candidate: unknown }).candidate,
      },
    ],
  };
}

