import { DAY, MINUTE } from "./fixtures";
import type { Rng } from "./random";

/** A candidate's clock: each step moves forward by minutes, hours or days, never backwards or in place. */
export class Timeline {
  private time: number;

  constructor(
    private readonly rng: Rng,
    start: Date,
  ) {
    // Whole seconds: the providers write second-precision times.
    this.time = Math.floor(start.getTime() / 1000) * 1000;
  }

  get now(): Date {
    return new Date(this.time);
  }

  /** Advances by a realistic gap and returns the new time. */
  advance(kind: "any" | "short" | "long" = "any"): Date {
    const bucket =
      kind === "short"
        ? "minutes"
        : kind === "long"
          ? this.rng.pick(["hours", "days"] as const)
          : this.rng.weighted([
              ["minutes", 0.4],
              ["hours", 0.4],
              ["days", 0.2],
            ] as const);
    const ms =
      bucket === "minutes"
        ? this.rng.int(3, 110) * MINUTE
        : bucket === "hours"
          ? this.rng.int(2 * 60, 22 * 60) * MINUTE
          : this.rng.int(1 * 24 * 60, 4 * 24 * 60) * MINUTE;
    this.time += ms + this.rng.int(0, 59) * 1000;
    return this.now;
  }
}

/** When candidate `index` enters the simulation: somewhere in the week after `startAt`, in working-ish hours. */
export function candidateStart(rng: Rng, startAt: Date, spreadDays = 7): Date {
  // One draw whatever the spread, so a seed's histories stay byte-identical at the default.
  const day = rng.int(0, Math.max(1, spreadDays) - 1) * DAY;
  const minutes = rng.int(0, 10 * 60) * MINUTE;
  return new Date(startAt.getTime() + day + minutes + rng.int(0, 59) * 1000);
}
