/**
 * How busy ingest is, for background work that should give way to it (the changed-paths sweep).
 * On globalThis: the webhook route (pages bundle) counts, instrumentation's sweep reads, and the
 * two are separate module copies.
 */
const WINDOW_MS = 1_000;
/** Deliveries per second above which ingest counts as busy: well above what ATSs send in steady state. */
export const BUSY_PER_SECOND = 20;

const shared = globalThis as unknown as { ingestLoad?: { windowStart: number; count: number; previous: number } };
const load = (shared.ingestLoad ??= { windowStart: 0, count: 0, previous: 0 });

function roll(now: number): void {
  if (now - load.windowStart < WINDOW_MS) return;
  load.previous = now - load.windowStart < 2 * WINDOW_MS ? load.count : 0;
  load.windowStart = now;
  load.count = 0;
}

export function countIngested(now = Date.now()): void {
  roll(now);
  load.count++;
}

/** True while deliveries arrive faster than BUSY_PER_SECOND (this second or the one before). */
export function ingestBusy(now = Date.now()): boolean {
  roll(now);
  return Math.max(load.count, load.previous) >= BUSY_PER_SECOND;
}
