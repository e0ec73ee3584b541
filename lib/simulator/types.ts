import type { NormalizedEventType, ProviderId } from "../providers/types";
import type { Rng } from "./random";

/** One webhook request as the provider would send it, minus the per-send headers (signature, delivery id). */
export interface SimulatedDelivery {
  body: Buffer;
  contentType: string;
  /** Query parameters to append to the endpoint URL (Talview's ?event=). */
  query?: Record<string, string>;
  method: string;
  /** When this happened in the simulated history (strictly increasing within a candidate). */
  occurredAt: Date;
  /** Short human-readable description, e.g. `greenhouse 48213377 #3 candidate_stage_change → Phone Screen`. */
  label: string;
  /** What the provider module is expected to make of this body (used by tests and summaries). */
  expected: {
    providerEvent: string;
    type: NormalizedEventType;
    /** Target stage the mapped event should carry; null when the payload states none. */
    stage: string | null;
  };
}

export interface CandidateHistory {
  provider: ProviderId;
  /** The provider's candidate id, as the mapped events carry it in candidate.externalId. */
  candidateId: string;
  name: string;
  email: string;
  deliveries: SimulatedDelivery[];
}

export interface BuildHistoriesOptions {
  provider: ProviderId;
  /** How many candidate histories to build. */
  candidates: number;
  /** Same seed (and startAt) → byte-identical bodies. */
  seed: number | string;
  /** The earliest a history may start; candidates start within a week after it. Default 2025-01-06T09:00:00Z. */
  startAt?: Date;
  /** Over how many days after startAt the candidates' histories start (default 7): a longer inflow with the same jobs. */
  startSpreadDays?: number;
}

/** What a provider-specific builder gets from buildHistories. */
export interface BuilderRun {
  provider: ProviderId;
  count: number;
  startAt: Date;
  /** Candidates start within this many days after startAt (pass to candidateStart). */
  startSpreadDays: number;
  /** Run-wide stream: jobs, users, ids. */
  rng: Rng;
  /** A stream per candidate, so candidate i's history does not depend on how many others there are. */
  candidateRng(index: number): Rng;
  /** Draws an id not used before in this run. */
  uniqueInt(rng: Rng, min: number, max: number): number;
}
