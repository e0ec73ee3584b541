import { formatDriftNotes, neededDriftProblem, parseTolerant } from "../shared/drift";
import { joinName } from "../shared/text";
import type { IncomingDelivery, MapResult, NormalizedEvent } from "../types";
import { idibuBodySchema, type IdibuCandidate, type IdibuVacancy } from "./schemas";
import { readEventTime } from "../shared/time";

export const idibuEvents = {
  "candidate.create": "created",
  "candidate.update": "updated",
} as const;
export type IdibuEvent = keyof typeof idibuEvents;

/**
 * What the history needs from an idibu body: the candidate id, the event time and each vacancy's id,
 * title and status (its label is the stage; its id stands in for a missing label). Anything else of
 * another type is a drift note.
 */
export const idibuNeededPaths = [
  "payload.id",
  "payload-information.webhook_event",
  "payload-information.timestamp",
  "payload.vacancies[].id",
  "payload.vacancies[].title",
  "payload.vacancies[].status.label",
  "payload.vacancies[].status.id",
  "payload.vacancies[].status.status_id",
] as const;

/** Headers that name the event when the body does not (idibu v2 and v3). */
const EVENT_HEADERS = ["x-idibu-event", "x-idibuv3-event"] as const;

export function mapIdibu(body: unknown, delivery: IncomingDelivery): MapResult {
  // decodeIdibuForm reports undecodable form bodies as an Error rather than throwing.
  if (body instanceof Error) {
    return { status: "failed", providerEvent: null, error: `idibu form body could not be decoded: ${body.message}`, drift: [] };
  }
  if (!isRecord(body)) {
    return { status: "failed", providerEvent: null, error: "idibu body is not an object.", drift: [] };
  }

  // The body's webhook_event is the documented field and wins: the doc example's X-Idibu-Event header
  // (candidate-extend.update on a candidate.create body) contradicts it. Without it, the headers name the event.
  const info = body["payload-information"];
  const bodyEvent = isRecord(info) && typeof info.webhook_event === "string" ? info.webhook_event.trim() : "";
  const headerEvent = EVENT_HEADERS.map((h) => delivery.headers[h]?.trim()).find((v) => v);
  const providerEvent = (bodyEvent || headerEvent || "").slice(0, 100);
  if (providerEvent === "") {
    return {
      status: "failed",
      providerEvent: null,
      error:
        'idibu delivery names no event: expected payload-information.webhook_event in the body or an X-Idibu-Event / X-IdibuV3-Event header ("candidate.create" or "candidate.update").',
      drift: [],
    };
  }
  if (!Object.hasOwn(idibuEvents, providerEvent)) {
    return {
      status: "ignored",
      providerEvent,
      reason: `not understood: idibu event ${JSON.stringify(providerEvent)} is not turned into history; the candidate events are candidate.create and candidate.update.`,
      drift: [],
    };
  }
  const type = idibuEvents[providerEvent as IdibuEvent];

  const rawPayload = body.payload;
  if (!isRecord(rawPayload)) {
    return { status: "failed", providerEvent, error: "idibu body has no payload object (the candidate).", drift: [] };
  }
  const parsed = parseTolerant(idibuBodySchema, body);
  const drift = formatDriftNotes(parsed.notes);
  const problem = neededDriftProblem(parsed.notes, idibuNeededPaths);
  if (problem) return { status: "failed", providerEvent, error: `idibu candidate rejected: ${problem}`, drift };
  if (!parsed.success) {
    const error = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    return { status: "failed", providerEvent, error: `idibu candidate rejected: ${error}`, drift };
  }
  const candidate: IdibuCandidate = parsed.data.payload;

  const time = readEventTime(isRecord(info) ? info.timestamp : undefined, "payload-information.timestamp");
  if (!time.ok) return { status: "failed", providerEvent, error: `idibu ${time.error}`, drift };
  if (time.note) drift.push(time.note);

  const vacancies = listOf(candidate.vacancies).map(normalizeVacancy);
  const only = vacancies.length === 1 ? vacancies[0] : null;
  // A status without a label is still a stage: its id names it.
  const stageOf = (v: (typeof vacancies)[number]) => nonEmpty(v.status?.label) ?? v.status?.id ?? null;

  const details: Record<string, unknown> = {
    source: candidate.source ?? null,
    commsStatus: candidate.comms_status ?? null,
    vacancies,
  };
  const namedInHeader = EVENT_HEADERS.map((h) => delivery.headers[h]).find((v) => v !== undefined);
  if (namedInHeader !== undefined) details.headerEvent = namedInHeader;
  if (!bodyEvent) details.eventFrom = "header";

  const event: NormalizedEvent = {
    type,
    providerEvent,
    typeInferred: false,
    occurredAt: time.date,
    candidate: {
      externalId: String(candidate.id),
      name: joinName([candidate.firstname, candidate.lastname]),
      email: nonEmpty(candidate.email),
    },
    // With several vacancies no single job or stage is "the" one: each vacancy's status is listed
    // in `stages`, and the history derives a stage change per vacancy from consecutive events.
    job: only ? { id: only.id, title: only.title } : null,
    applicationId: null,
    stage: only && stageOf(only) !== null ? { from: null, to: stageOf(only) } : null,
    stages: vacancies.flatMap((v) => {
      const stage = stageOf(v);
      return stage ? [{ jobId: v.id, jobTitle: v.title, stage }] : [];
    }),
    actor: null,
    details,
    snapshot: rawPayload,
  };
  return { status: "processed", providerEvent, events: [event], drift };
}

function normalizeVacancy(vacancy: IdibuVacancy) {
  const status = vacancy.status;
  return {
    id: idString(vacancy.id),
    reference: vacancy.reference ?? null,
    title: vacancy.title ?? null,
    status: status
      ? {
          id: idString(status.status_id ?? status.id),
          type: status.status_type ?? status.type ?? null,
          label: status.label ?? null,
        }
      : null,
  };
}

function listOf<T>(value: T[] | Record<string, T> | null | undefined): T[] {
  if (value == null) return [];
  return Array.isArray(value) ? value : Object.values(value);
}

function idString(value: number | string | null | undefined): string | null {
  return value == null || value === "" ? null : String(value);
}

function nonEmpty(value: string | null | undefined): string | null {
  return value == null || value.trim() === "" ? null : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

