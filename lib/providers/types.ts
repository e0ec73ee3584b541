import type { z } from "zod";
import type { HistoryConfig } from "../history/types";

import type { BuilderRun, CandidateHistory } from "../simulator/types";

export { providerIds, type ProviderId } from "./catalog";
import type { ProviderId } from "./catalog";

export const normalizedEventTypes = [
  "created",
  "updated",
  "deleted",
  "applied",
  "prospect_created",
  "stage_changed",
  "hired",
  "unhired",
  "rejected",
  "unrejected",
  "merged",
] as const;
export type NormalizedEventType = (typeof normalizedEventTypes)[number];

/** What a provider module sees of an HTTP request: framework-free, raw bytes untouched. */
export interface IncomingDelivery {
  method: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  query: URLSearchParams;
  body: Buffer;
  contentType: string | null;
  receivedAt: Date;
}

export type VerifyResult = { ok: true } | { ok: false; header: string; reason: string };

export interface NormalizedEvent {
  type: NormalizedEventType;
  /** The provider's own name for what happened, e.g. `candidate_stage_change`. */
  providerEvent: string;
  /** True when the provider did not say which event this is and we inferred it from the body. */
  typeInferred: boolean;
  /** The provider's own time for the event; null means "use the received time". */
  occurredAt: Date | null;
  candidate: { externalId: string; name: string | null; email: string | null };
  job: { id: string | null; title: string | null } | null;
  applicationId: string | null;
  /** Stage transition where the payload states it; `from` may be null when only the target is known. */
  stage: { from: string | null; to: string | null } | null;
  actor: string | null;
  /**
   * Where the candidate stands in each job or vacancy as of this event, when the payload says so
   * (idibu lists every vacancy). Omitted: derived from `job` and `stage.to`.
   */
  stages?: { jobId: string | null; jobTitle: string | null; stage: string }[];
  /** Provider facts that are not columns: merge target, deleted application ids, rejection reason… */
  details: Record<string, unknown> | null;
  /** The candidate object as sent, for field-level diffs between consecutive snapshots. */
  snapshot: unknown;
}

export type MapResult =
  | { status: "processed"; providerEvent: string; events: NormalizedEvent[]; drift: string[] }
  /**
   * A documented event we deliberately do not turn into events (pings, non-candidate events).
   * `anonymize`: the provider anonymized a candidate (Greenhouse candidate_anonymized); processing
   * removes the listed fields from that candidate's stored snapshots and raw bodies (Provider.anonymization).
   */
  | { status: "ignored"; providerEvent: string | null; reason: string; drift: string[]; anonymize?: AnonymizeRequest }
  | { status: "failed"; providerEvent: string | null; error: string; drift: string[] };

/** A candidate the provider anonymized, and the provider's names of the fields it removed. */
export interface AnonymizeRequest {
  externalId: string;
  fields: string[];
}

/** How a provider's stored data is rewritten when the provider anonymizes a candidate. Pure. */
export interface ProviderAnonymization {
  /** The candidate object as stored in events.snapshot, without the fields (a new value; the input is not changed). */
  redactSnapshot(snapshot: unknown, fields: string[]): unknown;
  /** A decoded raw body about the candidate, with the candidate's fields removed; null when nothing changes. */
  redactBody(body: unknown, externalId: string, fields: string[]): unknown | null;
  /** Whether the fields cover the name and the email the events' columns hold. */
  removesName(fields: string[]): boolean;
  removesEmail(fields: string[]): boolean;
}

/** One payload example taken from the provider's own documentation (copied under fixtures/docs/). */
export interface ProviderFixture {
  name: string;
  /** Body file beside the provider's code, read as bytes exactly as documented. */
  file: string;
  contentType: string;
  /** Extra request context the example implies (Talview's ?event=, idibu's headers). */
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

/** What a corpus case must produce; `occurredAt: null` means the received time stands in. */
export type CorpusExpectation =
  | {
      status: "processed";
      type: NormalizedEventType;
      candidate: string;
      occurredAt: string | null;
      job: { id: string | null; title: string | null } | null;
      stage: string | null;
      /** The delivery's drift notes, exactly. */
      drift: string[];
    }
  | { status: "ignored"; reason: string }
  | { status: "failed"; error: string };

/** A real payload (or a stated variation of one) and what it must produce. */
export interface CorpusCase extends ProviderFixture {
  /** Where it comes from: a documentation page, a repository and path, or which case it varies and how. */
  source: string;
  expect: CorpusExpectation;
}

export interface SignOptions {
  /** Unique per delivery; used by schemes that sign an id (Standard Webhooks) or carry one in a header. */
  deliveryId: string;
  now: Date;
}

export interface ProviderSetup {
  /** Where the URL goes in the provider's admin, in a sentence or two. */
  whereToPaste: string;
  events: readonly string[];
  signature: string;
  /** Ready-made URLs when the provider needs one URL per event (Talview binds an event to a URL). */
  eventUrls?(baseUrl: string): { event: string; url: string }[];
}

/** What the UI, the API schemas and the tests know of a provider: client-safe (no server code). */
export interface ProviderCatalogEntry {
  id: string;
  displayName: string;
  /** Tailwind fill of the provider's series in the overview chart and its legend (3:1 against white). */
  color: string;
  /** Whether this provider signs deliveries (and so needs a secret on the endpoint). */
  signs: boolean;
  setup: ProviderSetup;
}

/** The demo data of a provider and the seeds the suites that run for every provider use. */
export interface ProviderSimulator {
  /** Realistic multi-step histories from the provider's documented examples; pure for a given run. */
  buildHistories(run: BuilderRun): CandidateHistory[];
  /** A seed whose first three histories cover every event kind the builder makes (order, reprocess, changed-paths suites). */
  coverageSeed: number;
  /** Seeds of the concurrency suite's three rounds. */
  burstSeeds: readonly [number, number, number];
  /** Where the first JSON fixture keeps the candidate id (the fault suite's hostile corpus varies it). */
  fixtureCandidateIdPath: readonly (string | number)[];
}

export interface Provider extends ProviderCatalogEntry {
  id: ProviderId;
  /** Content types accepted in addition to JSON (idibu may post form-encoded bodies). */
  acceptsForm: boolean;
  /** HTTP methods the provider may use to deliver. */
  methods: readonly string[];
  generateSecret(): string | null;
  /** Why a user-supplied secret cannot work with this provider's scheme, or null when it can. */
  validateSecret?(secret: string): string | null;
  /** Timing-safe; `secrets` holds every secret currently valid for the endpoint (rotation overlap). */
  verify(delivery: IncomingDelivery, secrets: string[]): VerifyResult;
  /** The provider's own delivery id, or null to fall back to a hash of the body. */
  idempotencyKey(delivery: IncomingDelivery): { key: string; source: string } | null;
  /** Decodes a form-encoded body into the same shape as the JSON body (only where acceptsForm). */
  decodeForm?(body: Buffer): unknown;
  /** Maps an already decoded body (JSON value or form object) to normalized events. Pure. */
  map(body: unknown, delivery: IncomingDelivery): MapResult;
  /** Headers a real sender would add: signature, delivery id, event name. For the simulator and tests. */
  sign(body: Buffer, secret: string | null, options: SignOptions): Record<string, string>;
  /**
   * For providers that sign inside the body (Lever's token, triggeredAt and signature fields): the body
   * a real sender would post. Callers go through signRequest (lib/providers/sign-request.ts).
   */
  signBody?(body: Buffer, secret: string | null, options: SignOptions): Buffer;
  simulator: ProviderSimulator;
  fixtures: ProviderFixture[];
  /** Real payloads with what each must produce: the doc examples, earlier doc versions, open-source consumers. */
  corpus: CorpusCase[];
  /**
   * What the history needs, as drift-note paths (`payload.application.jobs[].id`): a value of another
   * type there fails the delivery; anywhere else it is a drift note. The property tests vary every other path.
   */
  neededPaths: readonly string[];
  /** How snapshots of this provider are diffed: array identities, bookkeeping noise, partial snapshots. */
  history: HistoryConfig;
  /**
   * The phone numbers a snapshot carries, as sent (People: suggestions match them once normalized
   * to E.164). Pure and tolerant: any shape of snapshot, no throw. Omitted: the provider sends none.
   */
  contactPhones?(snapshot: unknown): unknown[];
  /** For providers that announce anonymizations (their map returns `anonymize`). */
  anonymization?: ProviderAnonymization;
}

export type ZodSchema = z.ZodType;
