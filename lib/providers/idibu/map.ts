import { findUnknownKeys } from "../shared/drift";
import type { IncomingDelivery, MapResult, NormalizedEvent } from "../types";
import { idibuBodySchema, idibuCandidateSchema, type IdibuVacancy } from "./schemas";
import { parseIsoTimestamp } from "../shared/time";

export const idibuEvents = {
  "candidate.create": "created",
  "candidate.update": "updated",
} as const;
export type IdibuEvent = keyof typeof idibuEvents;

export function mapIdibu(body: unknown, delivery: IncomingDelivery): MapResult {
  // decodeIdibuForm reports undecodable form bodies as an Error rather than throwing.
  if (body instanceof Error) {
    return { status: "failed", providerEvent: null, error: `idibu form body could not be decoded: ${body.message}`, drift: [] };
  }
  if (!isRecord(body)) {
    return { status: "failed", providerEvent: null, error: "idibu body is not an object.", drift: [] };
  }
  const drift = findUnknownKeys(idibuBodySchema, body);

  // The body's webhook_event is the documented field; the doc example's X-Idibu-Event header
  // (candidate-extend.update on a candidate.create body) contradicts it, so the header is only recorded.
  const info = body["payload-information"];
  const rawEvent = isRecord(info) ? info.webhook_event : undefined;
  if (typeof rawEvent !== "string" || rawEvent.trim() === "") {
    return {
      status: "failed",
      providerEvent: null,
      error: 'idibu body has no payload-information.webhook_event (expected "candidate.create" or "candidate.update").',
      drift,
    };
  }
  const providerEvent = rawEvent.trim();
  if (!Object.hasOwn(idibuEvents, providerEvent)) {
    return {
      status: "failed",
      providerEvent: providerEvent.slice(0, 100),
      error: `Unknown idibu webhook_event ${JSON.stringify(providerEvent.slice(0, 100))}; accepted values: candidate.create, candidate.update.`,
      drift,
    };
  }
  const type = idibuEvents[providerEvent as IdibuEvent];

  const rawPayload = body.payload;
  if (!isRecord(rawPayload)) {
    return { status: "failed", providerEvent, error: "idibu body has no payload object (the candidate).", drift };
  }
  const parsed = idibuCandidateSchema.safeParse(rawPayload);
  if (!parsed.success) {
    const error = parsed.error.issues.map((issue) => `payload.${issue.path.join(".")}: ${issue.message}`).join("; ");
    return { status: "failed", providerEvent, error: `idibu candidate rejected: ${error}`, drift };
  }
  const candidate = parsed.data;

  const rawTimestamp = isRecord(info) ? info.timestamp : undefined;
  let occurredAt: Date | null = null;
  if (rawTimestamp != null && rawTimestamp !== "") {
    occurredAt = typeof rawTimestamp === "string" ? parseIsoTimestamp(rawTimestamp) : null;
    if (occurredAt === null) {
      return {
        status: "failed",
        providerEvent,
        error: `idibu payload-information.timestamp ${JSON.stringify(rawTimestamp)} is not an ISO 8601 timestamp.`,
        drift,
      };
    }
  }

  const vacancies = listOf(candidate.vacancies).map(normalizeVacancy);
  const only = vacancies.length === 1 ? vacancies[0] : null;

  const details: Record<string, unknown> = {
    source: candidate.source ?? null,
    commsStatus: candidate.comms_status ?? null,
    vacancies,
  };
  const headerEvent = delivery.headers["x-idibu-event"];
  if (headerEvent !== undefined) details.headerEvent = headerEvent;

  const event: NormalizedEvent = {
    type,
    providerEvent,
    typeInferred: false,
    occurredAt,
    candidate: {
      externalId: String(candidate.id),
      name: joinName([candidate.firstname, candidate.lastname]),
      email: nonEmpty(candidate.email),
    },
    // With several vacancies no single job or stage is "the" one: each vacancy's status is listed
    // in `stages`, and the history derives a stage change per vacancy from consecutive events.
    job: only ? { id: only.id, title: only.title } : null,
    applicationId: null,
    stage: only?.status?.label != null ? { from: null, to: only.status.label } : null,
    stages: vacancies.flatMap((v) => (v.status?.label ? [{ jobId: v.id, jobTitle: v.title, stage: v.status.label }] : [])),
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

function joinName(parts: Array<string | null | undefined>): string | null {
  const name = parts
    .filter((part): part is string => typeof part === "string" && part.trim() !== "")
    .map((part) => part.trim())
    .join(" ");
  return name === "" ? null : name;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

