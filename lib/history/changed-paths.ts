/**
 * An event's changed paths: the diff paths of the event against the candidate's known state before
 * it, bookkeeping noise excluded, sorted and each once — the CSV export's `changed_fields`, and what
 * `events.changed_paths` stores (`; `-joined) so the export need not diff at read time.
 *
 * Pure. The value depends on the event, the candidate's earlier events (back to the nearest full
 * snapshot) and the provider's HistoryConfig; `changedPathsVersion` names that configuration, so a
 * value stored by other code (a changed noise pattern or diff rule) is recognised and recomputed.
 */
import { computeChanges, type HistoryEvent } from "./build-timeline";
import type { Change, HistoryConfig } from "./types";

/**
 * Bump when the diff engine, the fold or the stage derivation changes what is stored for an event
 * (the provider configurations are hashed in). 2: the derived stage move is stored too.
 */
const CHANGED_PATHS_RULES = 2;

export const CHANGED_PATHS_SEPARATOR = "; ";

/** Diff paths without bookkeeping noise, sorted as the timeline lists them, each once. */
export function changedFieldPaths(changes: readonly Change[]): string[] {
  const paths = changes.filter((c) => !c.noise).map((c) => c.path);
  paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return paths.filter((p, i) => i === 0 || paths[i - 1] !== p);
}

/**
 * A 32-bit signed number naming the rules and every provider's HistoryConfig (plus the default
 * one): stored values carry it, and only values of the running code's version are used.
 */
export function changedPathsVersion(configs: Record<string, HistoryConfig>, fallback: HistoryConfig): number {
  const canonical = JSON.stringify({
    rules: CHANGED_PATHS_RULES,
    fallback,
    providers: Object.keys(configs)
      .sort()
      .map((k) => [k, configs[k]]),
  });
  // FNV-1a, 32 bits: enough to tell configurations apart, and no runtime dependency.
  let hash = 0x811c9dc5;
  for (let i = 0; i < canonical.length; i++) {
    hash ^= canonical.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/**
 * Folds one candidate's events, oldest first, from `baseState` (the state before the first, as
 * stateFromPredecessors gives it) and returns each event's changed paths, `; `-joined ("" for an
 * event without changes or without a snapshot).
 */
export function computeChangedPaths(eventsOldestFirst: HistoryEvent[], baseState: unknown, config: HistoryConfig): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, c] of computeChanges(eventsOldestFirst, baseState, config)) out.set(id, changedFieldPaths(c.changes).join(CHANGED_PATHS_SEPARATOR));
  return out;
}
