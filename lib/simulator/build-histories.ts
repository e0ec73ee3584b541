import { getProvider } from "../providers/registry";
import { Rng } from "./random";
import type { BuilderRun, BuildHistoriesOptions, CandidateHistory } from "./types";

export type { BuildHistoriesOptions, CandidateHistory, SimulatedDelivery } from "./types";

/** Default start, fixed so that a seed alone reproduces the same bytes. */
export const DEFAULT_START_AT = new Date("2025-01-06T09:00:00Z");

/**
 * Realistic multi-step candidate histories for one provider, built from the provider's documented
 * examples with varied people, ids and times. Pure: the same options give byte-identical bodies.
 * Each history's deliveries are in the order the provider would send them, times strictly increasing.
 */
export function buildHistories(options: BuildHistoriesOptions): CandidateHistory[] {
  const { provider, candidates, seed } = options;
  const build = getProvider(provider)?.simulator.buildHistories;
  if (!build) throw new Error(`unknown provider "${provider}"`);
  if (!Number.isInteger(candidates) || candidates < 0) throw new Error(`candidates must be a whole number ≥ 0, got ${candidates}`);
  const startAt = options.startAt ?? DEFAULT_START_AT;
  if (Number.isNaN(startAt.getTime())) throw new Error("startAt is not a valid date");

  const used = new Set<number>();
  const run: BuilderRun = {
    provider,
    count: candidates,
    startAt,
    startSpreadDays: options.startSpreadDays ?? 7,
    rng: new Rng("simulator", provider, seed),
    candidateRng: (index) => new Rng("simulator", provider, seed, "candidate", index),
    uniqueInt(rng, min, max) {
      for (let attempt = 0; attempt < 1000; attempt++) {
        const value = rng.int(min, max);
        if (!used.has(value)) {
          used.add(value);
          return value;
        }
      }
      throw new Error(`could not draw a unique id in [${min}, ${max}]`);
    },
  };
  return build(run);
}

/** All deliveries of all histories, in global time order (handy for a single ordered replay). */
export function flattenByTime(histories: CandidateHistory[]): CandidateHistory["deliveries"] {
  return histories.flatMap((h) => h.deliveries).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}
