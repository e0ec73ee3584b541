/**
 * The arithmetic of the pipeline analytics, in one place for the API, the charts and the tests.
 * Framework-free and client-safe.
 */

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * The p-quantile (0–1) of values by linear interpolation between the closest ranks: what
 * PostgreSQL's percentile_cont computes, so the API and a plain SQL query agree. null when empty.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The share that went on (0–1, four decimals), or null when nobody reached the stage. */
export function conversion(advanced: number, reached: number): number | null {
  if (reached <= 0) return null;
  return Math.round((advanced / reached) * 10_000) / 10_000;
}

/** The Monday (UTC) starting the ISO week of a time, as YYYY-MM-DD. */
export function weekOf(at: Date | string): string {
  const t = typeof at === "string" ? Date.parse(at) : at.getTime();
  const day = Math.floor(t / DAY_MS) * DAY_MS;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0
  return new Date(day - weekday * DAY_MS).toISOString().slice(0, 10);
}

/**
 * How the flow reads a from/to window (lib/db/analytics.ts): the weeks of starts wholly inside it
 * from the rollup ([fromWeek, toWeek), Mondays; an end is open when from/to is), and the
 * applications that started in the weeks the window cuts from the summaries directly (`edges`,
 * [start, end) ranges), so a window at any time of day counts exactly the applications it selects.
 * `rollup` is false when the window holds no whole week (then `edges` is the window itself).
 */
export function flowWindow(from: Date | null | undefined, to: Date | null | undefined) {
  const monday = (at: Date) => new Date(`${weekOf(at)}T00:00:00Z`);
  const fromWeek = from ? (monday(from).getTime() === from.getTime() ? from : new Date(monday(from).getTime() + WEEK_MS)) : null;
  const toWeek = to ? monday(to) : null;
  if (from && to && fromWeek!.getTime() >= toWeek!.getTime()) return { rollup: false, fromWeek: null, toWeek: null, edges: [[from, to]] as [Date, Date][] };
  const edges: [Date, Date][] = [];
  if (from && from.getTime() < fromWeek!.getTime()) edges.push([from, fromWeek!]);
  if (to && toWeek!.getTime() < to.getTime()) edges.push([toWeek!, to]);
  return { rollup: true, fromWeek, toWeek, edges };
}

/** Every week from the first to the last given (Mondays, YYYY-MM-DD), none skipped, at most the last `max`. */
export function weekRange(weeks: readonly string[], max = 104): string[] {
  if (weeks.length === 0) return [];
  const sorted = [...weeks].sort();
  const last = Date.parse(`${sorted.at(-1)}T00:00:00Z`);
  const first = Math.max(Date.parse(`${sorted[0]}T00:00:00Z`), last - (max - 1) * WEEK_MS);
  const out: string[] = [];
  for (let t = first; t <= last; t += WEEK_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** A 0–1 share as a percentage with one decimal ("–" when unknown). */
export function formatShare(share: number | null): string {
  return share === null ? "–" : `${Math.round(share * 1000) / 10}%`;
}
