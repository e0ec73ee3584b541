import type { z } from "zod";
import { describeIssues } from "../shared/text";
import { formatDriftNotes, neededDriftProblem, parseTolerant } from "../shared/drift";
import { readEventTime } from "../shared/time";
import type { IncomingDelivery, MapResult, NormalizedEvent, NormalizedEventType } from "../types";
import { ashbyApplicationWebhookSchema, ashbyDeleteWebhookSchema, ashbyMergeWebhookSchema } from "./schemas";

/** The candidate events; a stage change into an Archived stage is a rejection. */
export const ashbyEvents = {
  applicationSubmit: "applied",
  applicationUpdate: "updated",
  candidateStageChange: "stage_changed",
  candidateHire: "hired",
  candidateDelete: "deleted",
  candidateMerge: "merged",
} as const satisfies Record<string, NormalizedEventType>;
export type AshbyEvent = keyof typeof ashbyEvents;

/** Documented webhook types that are not candidate history (docs copy §1.2). */
const otherDocumentedEvents = [
  "interviewPlanTransition",
  "interviewScheduleCreate",
  "interviewScheduleUpdate",
  "jobPostingUpdate",
  "jobPostingPublish",
  "jobPostingUnpublish",
  "jobUpdate",
  "offerCreate",
  "offerUpdate",
  "offerDelete",
  "pushToHRIS",
  "surveySubmit",
  "signatureRequestUpdate",
];

/**
 * What the history needs from an Ashby body: the action, the candidate (the application's, or the
 * deleted / merged ids), the application id, its updatedAt (the only time there is), job and stage,
 * and the status (tells an archive from a stage move). Anything else of another type is a drift note.
 */
export const ashbyNeededPaths = [
  "action",
  "data.application.id",
  "data.application.updatedAt",
  "data.application.status",
  "data.application.candidate.id",
  "data.application.job.id",
  "data.application.job.title",
  "data.application.currentInterviewStage.title",
  "data.candidate.id",
  "data.deletedCandidate.id",
  "data.mergedCandidate.id",
] as const;

/** Ashby's application statuses as job statuses; a Lead has none (a prospect, not an application yet). */
const ashbyJobStatus = new Map<string, "active" | "hired" | "rejected">([
  ["Active", "active"],
  ["Hired", "hired"],
  ["Archived", "rejected"],
]);

type Failure = { status: "failed"; providerEvent: string; error: string; drift: string[] };

function parseWith<S extends z.ZodType>(schema: S, body: unknown, event: string): { data: z.infer<S>; drift: string[] } | Failure {
  const parsed = parseTolerant(schema, body);
  const drift = formatDriftNotes(parsed.notes);
  const problem = neededDriftProblem(parsed.notes, ashbyNeededPaths);
  if (problem) return { status: "failed", providerEvent: event, error: problem, drift };
  if (!parsed.success) return { status: "failed", providerEvent: event, error: describeIssues(parsed.error), drift };
  return { data: parsed.data, drift };
}

export function mapAshbyBody(body: unknown, _delivery?: IncomingDelivery): MapResult {
  const raw = body as { action?: unknown; data?: Record<string, unknown> } | null;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || typeof raw.action !== "string" || raw.action === "") {
    return { status: "failed", providerEvent: null, error: 'body is not an Ashby webhook: expected a JSON object with an "action" string', drift: [] };
  }
  const name = raw.action.slice(0, 100);
  if (raw.action === "ping") return { status: "ignored", providerEvent: "ping", reason: "Ashby ping: the webhook URL is live", drift: [] };
  if (!Object.hasOwn(ashbyEvents, raw.action)) {
    const reason = otherDocumentedEvents.includes(raw.action)
      ? `Ashby action "${name}" is not candidate history (offers, interviews, job postings and surveys are not tracked)`
      : `not understood: Ashby action "${name}" is not turned into history; the candidate actions are ${Object.keys(ashbyEvents).join(", ")}`;
    return { status: "ignored", providerEvent: name, reason, drift: [] };
  }
  const event = raw.action as AshbyEvent;
  const base = { providerEvent: event, typeInferred: false, actor: null } as const;

  if (event === "candidateDelete" || event === "candidateMerge") {
    const parsed = event === "candidateDelete" ? parseWith(ashbyDeleteWebhookSchema, body, event) : parseWith(ashbyMergeWebhookSchema, body, event);
    if ("status" in parsed) return parsed;
    const data = parsed.data.data as { candidate?: { id: string }; deletedCandidate?: { id: string }; mergedCandidate?: { id: string } };
    const id = event === "candidateDelete" ? data.candidate!.id : data.deletedCandidate!.id;
    const details = event === "candidateMerge" ? { newCandidateId: data.mergedCandidate!.id } : null;
    // No time in these bodies: the received time stands in. No snapshot: the candidate's state is its
    // Application object, and these bodies hold none of its fields (an `{id}` folded over it read as
    // the application's id changing to the candidate's).
    const e: NormalizedEvent = { ...base, type: ashbyEvents[event], occurredAt: null, candidate: { externalId: id, name: null, email: null }, job: null, applicationId: null, stage: null, details, snapshot: null };
    return { status: "processed", providerEvent: event, drift: parsed.drift, events: [e] };
  }

  const parsed = parseWith(ashbyApplicationWebhookSchema, body, event);
  if ("status" in parsed) return parsed;
  const { drift } = parsed;
  const application = parsed.data.data.application;
  const time = readEventTime(application.updatedAt, "data.application.updatedAt");
  if (!time.ok) return { status: "failed", providerEvent: event, error: time.error, drift };
  if (time.note) drift.push(time.note);

  let type: NormalizedEventType = ashbyEvents[event];
  // Archiving is a move into a stage of type Archived; the application's status says it is archived.
  if (event === "candidateStageChange" && application.status === "Archived") type = "rejected";
  const stageTitle = application.currentInterviewStage?.title ?? null;
  const movesStage = event === "applicationSubmit" || event === "candidateStageChange" || event === "candidateHire";

  const details: Record<string, unknown> = {};
  if (application.status) details.status = application.status;
  // The application's status is the job's, stated on every event (the history's explicit status,
  // details.application.status, wins over the stage's name): an application moved out of an
  // Archived stage, or un-archived by an update, is open again, as a Lever unarchive makes it.
  const jobStatus = application.status ? ashbyJobStatus.get(application.status) : undefined;
  if (jobStatus) details.application = { status: jobStatus };
  if (type === "rejected" && application.archiveReason?.text) details.archiveReason = application.archiveReason.text;
  const offer = parsed.data.data.offer;
  if (event === "candidateHire" && offer) {
    details.offer = {
      id: offer.id ?? null,
      acceptanceStatus: offer.acceptanceStatus ?? null,
      decidedAt: offer.decidedAt ?? null,
      startDate: offer.latestVersion?.startDate ?? null,
      salary: offer.latestVersion?.salary ?? null,
    };
  }
  if (parsed.data.webhookActionId) details.webhookActionId = parsed.data.webhookActionId;

  const candidate = application.candidate;
  return {
    status: "processed",
    providerEvent: event,
    drift,
    events: [
      {
        ...base,
        type,
        occurredAt: time.date,
        candidate: { externalId: candidate.id, name: candidate.name?.trim() || null, email: candidate.primaryEmailAddress?.value?.trim() || null },
        job: application.job ? { id: application.job.id ?? null, title: application.job.title ?? null } : null,
        applicationId: application.id ?? null,
        // Ashby sends only the stage after the change; the previous one is the history's.
        stage: movesStage && stageTitle ? { from: null, to: stageTitle } : null,
        details: Object.keys(details).length > 0 ? details : null,
        // The application exactly as received: consecutive snapshots give field-level diffs.
        snapshot: (body as { data: { application: unknown } }).data.application,
      },
    ],
  };
}
