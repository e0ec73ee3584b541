/**
 * The candidate's known state just before an event: its predecessors with a snapshot, newest first,
 * folded by stateFromPredecessors and read back further only while they are partial (Outhire's
 * stage_changed, say). The timeline, the export and the changed-paths fill all start their folds
 * from this one function, so they give the same diffs. The reads are the caller's (a query in lib/db).
 */
import { stateFromPredecessors, type HistoryEvent } from "./build-timeline";
import type { EventKey, HistoryConfig } from "./types";

/** One event whose state before it is wanted. */
export interface StateBeforeRequest extends EventKey {
  candidateId: string;
  provider: string;
}

/**
 * For each request (an event: its candidate and key), up to `take` of the candidate's events with a
 * snapshot before the key, newest first, by request id (lib/db/changed-paths-queries.ts
 * `readSnapshotPredecessors`).
 */
export type ReadSnapshotPredecessors = (
  requests: { requestId: string; candidateId: string; key: EventKey }[],
  take: number,
) => Promise<Map<string, (HistoryEvent & EventKey)[]>>;

// The first predecessor is usually a full snapshot; partial chains read more per round.
const PREDECESSOR_ROUNDS = [1, 20, 100, 500];
/** A chain of partial snapshots longer than this is folded as far as read. */
const PREDECESSOR_MAX = 2_000;

/** The known state just before each event, by event id (undefined: nothing known before it). */
export async function statesBefore(
  events: readonly StateBeforeRequest[],
  historyFor: (provider: string) => HistoryConfig,
  read: ReadSnapshotPredecessors,
): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  const chains = new Map<string, (HistoryEvent & EventKey)[]>();
  let pending = events.map((e) => ({ event: e, key: { occurredAt: e.occurredAt, receivedAt: e.receivedAt, id: e.id } as EventKey }));
  for (let round = 0; pending.length > 0; round++) {
    const take = PREDECESSOR_ROUNDS[Math.min(round, PREDECESSOR_ROUNDS.length - 1)];
    const found = await read(
      pending.map((p) => ({ requestId: p.event.id, candidateId: p.event.candidateId, key: p.key })),
      take,
    );
    const next: typeof pending = [];
    for (const p of pending) {
      const batch = found.get(p.event.id) ?? [];
      const chain = chains.get(p.event.id) ?? [];
      chain.push(...batch);
      chains.set(p.event.id, chain);
      const result = stateFromPredecessors(chain, historyFor(p.event.provider));
      if (result.complete || batch.length < take || chain.length >= PREDECESSOR_MAX) out.set(p.event.id, result.state);
      else {
        const last = batch.at(-1)!;
        next.push({ event: p.event, key: { occurredAt: last.occurredAt, receivedAt: last.receivedAt, id: last.id } });
      }
    }
    pending = next;
  }
  return out;
}
