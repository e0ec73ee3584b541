import { diffSnapshots } from "./diff";
import type { Change, HistoryConfig } from "./types";

/** One stored event as the history needs it, oldest first within one source candidate. */
export interface HistoryEvent {
  id: string;
  candidateId: string;
  providerEvent: string | null;
  snapshot: unknown;
  details: unknown;
}

export interface EventChanges {
  /** Field-level changes against the candidate's known state before this event. */
  changes: Change[];
  /** "initial": the first snapshot known (nothing to compare with); "none": the event carries no snapshot. */
  basis: "previous" | "initial" | "none" | "versioned";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The candidate's known state after an event: a full snapshot replaces it, a partial one
 * (config.partialSnapshots) is merged over it — its absent fields are unknown, not removed.
 */
export function applySnapshot(state: unknown, event: Pick<HistoryEvent, "providerEvent" | "snapshot">, config: HistoryConfig): unknown {
  if (event.snapshot === null || event.snapshot === undefined) return state;
  if (isPartial(event, config) && isRecord(state) && isRecord(event.snapshot)) return { ...state, ...event.snapshot };
  return event.snapshot;
}

export function isPartial(event: Pick<HistoryEvent, "providerEvent">, config: HistoryConfig): boolean {
  return event.providerEvent !== null && (config.partialSnapshots ?? []).includes(event.providerEvent);
}

/**
 * Folds one candidate's events, oldest first, from `baseState` (the state before the first of
 * them, or undefined when they start the history) and returns each event's changes. Pure: the
 * result depends only on the ordered events, never on when they arrived.
 */
export function computeChanges(events: HistoryEvent[], baseState: unknown, config: HistoryConfig): Map<string, EventChanges> {
  const out = new Map<string, EventChanges>();
  let state = baseState;
  for (const event of events) {
    if (event.snapshot === null || event.snapshot === undefined) {
      out.set(event.id, { changes: [], basis: "none" });
      continue;
    }
    // Talview's versioned snapshots carry their own previous state: diff old → new directly.
    const previous = isRecord(event.details) && "previous" in event.details ? event.details.previous : undefined;
    if (previous !== undefined) {
      out.set(event.id, { changes: diffSnapshots(previous, event.snapshot, config), basis: "versioned" });
    } else if (state === undefined) {
      out.set(event.id, { changes: [], basis: "initial" });
    } else {
      const next = applySnapshot(state, event, config);
      out.set(event.id, { changes: diffSnapshots(state, next, config), basis: "previous" });
    }
    state = applySnapshot(state, event, config);
  }
  return out;
}

/** The state before `events[0]`, from its predecessors newest first; stops at the first full snapshot. */
export function stateFromPredecessors(predecessorsNewestFirst: HistoryEvent[], config: HistoryConfig): { state: unknown; complete: boolean } {
  const chain: HistoryEvent[] = [];
  let complete = false;
  for (const event of predecessorsNewestFirst) {
    if (event.snapshot === null || event.snapshot === undefined) continue;
    chain.push(event);
    if (!isPartial(event, config)) {
      complete = true;
      break;
    }
  }
  let state: unknown = undefined;
  for (const event of chain.reverse()) state = applySnapshot(state, event, config);
  return { state, complete: complete || predecessorsNewestFirst.length === 0 };
}
