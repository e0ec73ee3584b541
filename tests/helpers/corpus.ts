import { readFileSync } from "node:fs";
import path from "node:path";
import type { CorpusCase, CorpusExpectation, ProviderId } from "@/lib/providers/types";

const providersDir = path.join(import.meta.dirname, "../../lib/providers");

export function readCaseBody(provider: ProviderId, c: CorpusCase): Buffer {
  return readFileSync(path.join(providersDir, provider, c.file));
}

/** What a delivery produced, as read from normalizeDelivery or from the database after the real route. */
export interface ObservedOutcome {
  status: string;
  error: string | null;
  drift: string[];
  events: { type: string; candidateExternalId: string; occurredAt: Date; jobId: string | null; jobTitle: string | null; stageTo: string | null }[];
}

/** The case's expectation in the observed shape: the received time stands in for a missing event time. */
export function expectedOutcome(expect: CorpusExpectation, receivedAt: Date): Record<string, unknown> {
  if (expect.status !== "processed") return { status: expect.status };
  return {
    status: "processed",
    drift: expect.drift,
    event: {
      type: expect.type,
      candidateExternalId: expect.candidate,
      occurredAt: expect.occurredAt ?? receivedAt.toISOString(),
      jobId: expect.job?.id ?? null,
      jobTitle: expect.job?.title ?? null,
      stageTo: expect.stage,
    },
  };
}

export function comparableOutcome(observed: ObservedOutcome, expect: CorpusExpectation): Record<string, unknown> {
  if (observed.status !== "processed" || expect.status !== "processed") return { status: observed.status };
  const e = observed.events[0];
  return {
    status: observed.status,
    drift: [...observed.drift].sort(),
    event: e && {
      type: e.type,
      candidateExternalId: e.candidateExternalId,
      occurredAt: e.occurredAt.toISOString(),
      jobId: e.jobId,
      jobTitle: e.jobTitle,
      stageTo: e.stageTo,
    },
  };
}

/** The text an ignored or failed case must contain (its reason or error). */
export function expectedText(expect: CorpusExpectation): string | null {
  return expect.status === "ignored" ? expect.reason : expect.status === "failed" ? expect.error : null;
}
