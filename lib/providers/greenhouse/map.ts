import { describeIssues } from "../shared/text";
import { formatDriftNotes, neededDriftProblem, parseTolerant } from "../shared/drift";
import type { IncomingDelivery, MapResult, NormalizedEvent, NormalizedEventType } from "../types";
import { readEventTime } from "../shared/time";
import { parseAnonymized } from "./anonymize";
import {
  greenhouseEnvelopeSchema,
  greenhouseWebhookSchema,
  type GreenhouseApplication,
  type GreenhouseCandidate,
  type GreenhousePerson,
} from "./schemas";

export const greenhouseCandidateActions = {
  new_candidate_application: "applied",
  new_prospect_application: "prospect_created",
  candidate_stage_change: "stage_changed",
  update_candidate: "updated",
  hire_candidate: "hired",
  unhire_candidate: "unhired",
  reject_candidate: "rejected",
  unreject_candidate: "unrejected",
  delete_candidate: "deleted",
  merge_candidate: "merged",
} as const satisfies Record<string, NormalizedEventType>;
export type GreenhouseCandidateAction = keyof typeof greenhouseCandidateActions;

/** Documented Greenhouse web hook actions that are not about a candidate's history (or that we do not record yet). */
export const greenhouseIgnoredActions: Record<string, string> = {
  ping: "Greenhouse ping, sent when a web hook is created or tested; nothing to record",
  application_updated: "application updates are not recorded; the candidate events carry the same changes",
  delete_application: "application deletions are not recorded yet; the candidate events carry deletions",
  offer_created: "offer events are not candidate events",
  offer_approved: "offer events are not candidate events",
  offer_updated: "offer events are not candidate events",
  offer_deleted: "offer events are not candidate events",
  interview_deleted: "interview events are not candidate events",
  scorecard_deleted: "scorecard events are not candidate events",
  job_created: "job events are not candidate events",
  job_updated: "job events are not candidate events",
  job_deleted: "job events are not candidate events",
  job_approved: "job events are not candidate events",
  job_post_created: "job post events are not candidate events",
  job_post_updated: "job post events are not candidate events",
  job_post_deleted: "job post events are not candidate events",
  job_interview_stage_deleted: "job stage events are not candidate events",
  department_deleted: "organization events are not candidate events",
  office_deleted: "organization events are not candidate events",
};

/**
 * What the history needs from a Greenhouse body (paths as in drift notes): a value of another type
 * here fails the delivery; anywhere else it is a drift note. The property tests mutate every other path.
 */
export const greenhouseNeededPaths = [
  "action",
  "payload.application.candidate.id",
  "payload.candidate.id",
  "payload.person.id",
  "payload.person.new_candidate_id",
  "payload.person.deleted_application_ids",
  "payload.person.application_ids",
  "payload.application.last_activity_at",
  "payload.application.jobs[].id",
  "payload.application.jobs[].name",
  "payload.application.job.id",
  "payload.application.job.name",
  "payload.application.current_stage.name",
] as const;

interface RawPayload {
  application?: { candidate?: unknown };
  candidate?: unknown;
  person?: unknown;
}

const statusActions = new Set<GreenhouseCandidateAction>(["hire_candidate", "unhire_candidate", "reject_candidate", "unreject_candidate"]);

export function mapGreenhouseBody(body: unknown, _delivery?: IncomingDelivery): MapResult {
  const envelope = greenhouseEnvelopeSchema.safeParse(body);
  if (!envelope.success || typeof envelope.data.action !== "string" || envelope.data.action === "") {
    return {
      status: "failed",
      providerEvent: null,
      error: 'body is not a Greenhouse web hook: expected a JSON object with an "action" string and a "payload" object',
      drift: [],
    };
  }
  const action = envelope.data.action;

  if (action === "candidate_anonymized") {
    const request = parseAnonymized((body as { payload?: unknown }).payload);
    if (typeof request === "string") return { status: "failed", providerEvent: action, error: request, drift: [] };
    return {
      status: "ignored",
      providerEvent: action,
      reason: `candidate anonymized in Greenhouse: ${request.fields.join(", ") || "no fields"} removed from the candidate's stored snapshots and raw bodies`,
      drift: [],
      anonymize: request,
    };
  }

  if (Object.hasOwn(greenhouseIgnoredActions, action)) {
    return { status: "ignored", providerEvent: action, reason: greenhouseIgnoredActions[action], drift: [] };
  }
  if (!Object.hasOwn(greenhouseCandidateActions, action)) {
    return {
      status: "ignored",
      providerEvent: action.slice(0, 100),
      reason: `not understood: Greenhouse action "${action.slice(0, 100)}" is not turned into history by this version (stored; reprocess it after an update that maps it)`,
      drift: [],
    };
  }
  const candidateAction = action as GreenhouseCandidateAction;
  const parsed = parseTolerant(greenhouseWebhookSchema, body);
  const drift = formatDriftNotes(parsed.notes);
  const problem = neededDriftProblem(parsed.notes, greenhouseNeededPaths);
  if (problem) return { status: "failed", providerEvent: action, error: problem, drift };
  if (!parsed.success) return { status: "failed", providerEvent: action, error: describeIssues(parsed.error), drift };
  const payload = parsed.data.payload;
  // Snapshots keep the candidate exactly as received; the parsed copy leaves out values of another type.
  const raw = (body as { payload: RawPayload }).payload;
  const application = payload?.application ?? null;

  let event: NormalizedEvent;
  if (application) {
    if (!application.candidate) {
      return { status: "failed", providerEvent: action, error: "payload.application.candidate is missing; cannot tell whose event this is", drift };
    }
    const time = readEventTime(application.last_activity_at, "payload.application.last_activity_at");
    if (!time.ok) return { status: "failed", providerEvent: action, error: time.error, drift };
    event = fromApplication(candidateAction, application, application.candidate, raw.application?.candidate, time.date);
    if (time.note) drift.push(time.note);
  } else if (payload?.candidate) {
    event = baseEvent(candidateAction, raw.candidate, payload.candidate.id, {
      name: fullName(payload.candidate.first_name, payload.candidate.last_name),
      email: pickEmail(payload.candidate),
    });
  } else if (payload?.person) {
    event = fromPerson(candidateAction, payload.person, raw.person);
  } else {
    return {
      status: "failed",
      providerEvent: action,
      error: "no candidate in the payload: expected payload.application.candidate, payload.candidate or payload.person",
      drift,
    };
  }
  return { status: "processed", providerEvent: action, events: [event], drift };
}

/** `snapshot` is the candidate exactly as received; the rest comes from the tolerant parse. */
function baseEvent(
  action: GreenhouseCandidateAction,
  snapshot: unknown,
  id: number | string,
  who: { name: string | null; email: string | null },
): NormalizedEvent {
  return {
    type: greenhouseCandidateActions[action],
    providerEvent: action,
    typeInferred: false,
    // Candidate-only bodies (update, delete, merge) carry no time at all: the received time stands in.
    occurredAt: null,
    candidate: { externalId: String(id), ...who },
    job: null,
    applicationId: null,
    stage: null,
    // credited_to is the referral credit, not whoever performed the action.
    actor: null,
    details: null,
    snapshot,
  };
}

function fromApplication(
  action: GreenhouseCandidateAction,
  application: GreenhouseApplication,
  candidate: GreenhouseCandidate,
  snapshot: unknown,
  occurredAt: Date | null,
): NormalizedEvent {
  const { candidate: _candidate, ...applicationWithoutCandidate } = application;
  const details: Record<string, unknown> = { application: applicationWithoutCandidate };
  if (statusActions.has(action)) details.status = application.status ?? null;
  if (action === "reject_candidate") details.rejectionReason = application.rejection_reason?.name ?? null;

  const job = application.jobs?.[0] ?? application.job ?? null;
  const stageName = application.current_stage?.name ?? null;
  return {
    ...baseEvent(action, snapshot, candidate.id, {
      name: fullName(candidate.first_name, candidate.last_name),
      email: pickEmail(candidate),
    }),
    job: job ? { id: idOrNull(job.id), title: job.name ?? null } : null,
    applicationId: idOrNull(application.id),
    // Greenhouse sends no event time. The application's last_activity_at is the closest provider
    // clock: it moves with every action on the application and keeps a retried delivery in place.
    occurredAt,
    // The payload only knows where the application is now (for a new application: its first stage,
    // where the stage path starts); the ingest fills `from` from history.
    stage: stageName === null ? null : { from: null, to: stageName },
    details,
  };
}

function fromPerson(action: GreenhouseCandidateAction, person: GreenhousePerson, snapshot: unknown): NormalizedEvent {
  const details: Record<string, unknown> = {};
  const deletedIds = person.deleted_application_ids ?? person.application_ids;
  if (deletedIds) details.deletedApplicationIds = deletedIds.map(String);
  if (action === "merge_candidate") details.newCandidateId = idOrNull(person.new_candidate_id);
  return {
    // Deleted and merged records come without email addresses.
    ...baseEvent(action, snapshot, person.id, { name: fullName(person.first_name, person.last_name), email: null }),
    details: Object.keys(details).length > 0 ? details : null,
  };
}

function fullName(first: string | null | undefined, last: string | null | undefined): string | null {
  const name = [first, last]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(" ");
  return name === "" ? null : name;
}

function pickEmail(candidate: GreenhouseCandidate): string | null {
  const addresses = (candidate.email_addresses ?? []).filter((entry) => typeof entry.value === "string" && entry.value.trim() !== "");
  const chosen = addresses.find((entry) => entry.type === "personal") ?? addresses[0];
  return chosen?.value?.trim() ?? null;
}

function idOrNull(id: number | string | null | undefined): string | null {
  return id === null || id === undefined ? null : String(id);
}

