import type { z } from "zod";
import { findUnknownKeys } from "../shared/drift";
import type { IncomingDelivery, MapResult, NormalizedEvent, NormalizedEventType } from "../types";
import { outhireEnvelopeSchema, outhireWebhookSchema } from "./schemas";

export const outhireEvents = {
  "candidate.applied": "applied",
  "candidate.stage_changed": "stage_changed",
} as const satisfies Record<string, NormalizedEventType>;
export type OuthireEvent = keyof typeof outhireEvents;

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

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
  const drift = findUnknownKeys(outhireWebhookSchema, body);
  if (!Object.hasOwn(outhireEvents, name)) {
    return {
      status: "failed",
      providerEvent: name,
      error: `unknown Outhire event "${name}"; expected one of ${Object.keys(outhireEvents).join(", ")}`,
      drift,
    };
  }
  const event = name as OuthireEvent;

  const parsed = outhireWebhookSchema.safeParse(body);
  if (!parsed.success) return { status: "failed", providerEvent: event, error: describeIssues(parsed.error), drift };
  const data = parsed.data;

  let occurredAt: Date | null = null;
  if (data.occurred_at !== null && data.occurred_at !== undefined) {
    const time = new Date(data.occurred_at);
    if (!isoDateTime.test(data.occurred_at) || Number.isNaN(time.getTime())) {
      return {
        status: "failed",
        providerEvent: event,
        error: `occurred_at must be an ISO 8601 timestamp such as 2026-03-11T00:00:00.000Z, got "${data.occurred_at.slice(0, 60)}"`,
        drift,
      };
    }
    occurredAt = time;
  }

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
        occurredAt,
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
        snapshot: data.candidate,
      },
    ],
  };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
    .join("; ");
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "") || "body";
}
