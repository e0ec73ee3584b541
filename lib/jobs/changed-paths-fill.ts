/**
 * Fills `events.changed_paths` (the CSV export's `changed_fields`, stored) and, with it,
 * `derived_stage_from`/`derived_stage_to` (its stage_from/stage_to, the stage move as the timeline
 * shows it): finds events whose values are missing — new events, and later events of a candidate made stale by an insert, delete
 * or rewrite before them (the trigger of migration 20261123201052_events_changed_paths) — and
 * computes them with exactly the fold the export and the timeline use (lib/history).
 *
 * Safe with several instances and with concurrent ingest: a batch locks its candidates with
 * `FOR UPDATE SKIP LOCKED` and reads, computes and writes inside that transaction. A candidate
 * another transaction is changing (its writers hold FOR KEY SHARE on the candidate row until they
 * commit) is skipped and picked up by a later sweep; a change that starts while the batch holds
 * the candidate waits for the batch and then clears what it wrote. Values are a pure function of
 * the committed history, so two fills of the same rows write the same value. The fill never waits
 * on a lock for long (`lock_timeout`): it is the side that backs off.
 */
import { computeChangedPaths } from "../history/changed-paths";
import { CURRENT_CHANGED_PATHS_VERSION, historyConfigFor } from "../history/provider-config";
import { stageOf } from "../history/stage-move";
import { statesBefore } from "../history/states-before";
import type { EventKey, HistoryConfig } from "../history/types";
import { errorMessage, logEvent } from "../log";
import {
  listEventsMissingPaths,
  lockCandidatesForFill,
  readCandidateWindows,
  readSnapshotPredecessors,
  stageTransitionsByEvent,
  writeChangedPaths,
  type FillEventRow,
  type StoredValues,
} from "../db/changed-paths-queries";
import { ensureChangedPathsVersion } from "../db/changed-paths-version";
import { sqlState, type Sql } from "../db/sql";

export interface FillOptions {
  /** Events with missing values per transaction. */
  events?: number;
  version?: number;
  historyFor?: (provider: string) => HistoryConfig;
}

export interface FillBatchResult {
  /** Events with missing values looked at. */
  events: number;
  /** Candidates skipped because another transaction held them. */
  skipped: number;
  /** Rows written. */
  written: number;
  /** Next cursor; null when the work list was exhausted. */
  next: EventKey | null;
}

const compareKeys = (a: EventKey, b: EventKey) =>
  a.occurredAt.getTime() - b.occurredAt.getTime() || a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * One batch: the next `events` events with missing values in history-time order after `after`;
 * their candidates locked, and for each candidate the window of its history from its first to its
 * last batch event folded (from the state before it) and written, in one transaction. Values are
 * written in time order, so the updated rows keep roughly the heap order of the export's index.
 */
export async function fillChangedPathsBatch(sql: Sql, after: EventKey | null, options: FillOptions = {}): Promise<FillBatchResult> {
  const limit = options.events ?? 1_000;
  const version = options.version ?? CURRENT_CHANGED_PATHS_VERSION;
  const historyFor = options.historyFor ?? historyConfigFor;
  const missing = await listEventsMissingPaths(sql, after, limit);
  if (missing.length === 0) return { events: 0, skipped: 0, written: 0, next: null };
  const windows = new Map<string, { candidateId: string; first: EventKey; last: EventKey }>();
  for (const e of missing) {
    const w = windows.get(e.candidateId);
    if (w) w.last = e; // oldest first: the last one seen is the newest
    else windows.set(e.candidateId, { candidateId: e.candidateId, first: e, last: e });
  }
  const { written, locked } = await sql.transaction(async (tx) => {
    // Never the one that waits: writers of events come first.
    await tx.query({ text: `SET LOCAL lock_timeout = '250ms'` });
    const locked = await lockCandidatesForFill(tx, [...windows.keys()]);
    if (locked.length === 0) return { written: 0, locked };
    const rows = await readCandidateWindows(tx, locked.map((id) => windows.get(id)!));
    const byCandidate = new Map<string, FillEventRow[]>();
    for (const r of rows) {
      const list = byCandidate.get(r.candidateId);
      if (list) list.push(r);
      else byCandidate.set(r.candidateId, [r]);
    }
    const states = await statesBefore([...byCandidate.values()].map((list) => list[0]), historyFor, (requests, take) =>
      readSnapshotPredecessors(tx, requests, take),
    );
    const transitions = await stageTransitionsByEvent(tx, rows.filter((r) => r.missing).map((r) => r.id));
    const values: (StoredValues & { key: EventKey })[] = [];
    for (const list of byCandidate.values()) {
      const paths = computeChangedPaths(list, states.get(list[0].id), historyFor(list[0].provider));
      for (const r of list) {
        if (!r.missing) continue;
        const stage = stageOf(r, transitions.get(r.id) ?? []);
        values.push({ id: r.id, key: r, paths: paths.get(r.id) ?? "", stageFrom: stage?.from ?? null, stageTo: stage?.to ?? null });
      }
    }
    values.sort((a, b) => compareKeys(a.key, b.key));
    return { written: await writeChangedPaths(tx, values, version), locked };
  });
  const last = missing[missing.length - 1];
  return {
    events: missing.length,
    skipped: windows.size - locked.length,
    written,
    next: missing.length < limit ? null : { occurredAt: last.occurredAt, receivedAt: last.receivedAt, id: last.id },
  };
}

export interface FillResult {
  written: number;
  batches: number;
  skipped: number;
}

/**
 * One pass over every candidate with missing paths (what the sweep runs each time, what
 * `npm run reprocess` runs after the rebuild). Candidates held by others are left for the next pass.
 */
export async function fillChangedPaths(
  sql: Sql,
  options: FillOptions & {
    onBatch?: (result: FillBatchResult) => void;
    signal?: AbortSignal;
    /** Checked before each batch: true stops the pass (the rest waits for the next one). */
    pause?: () => boolean;
  } = {},
): Promise<FillResult> {
  const total: FillResult = { written: 0, batches: 0, skipped: 0 };
  let after: EventKey | null = null;
  for (;;) {
    if (options.signal?.aborted || options.pause?.()) break;
    let batch: FillBatchResult;
    try {
      batch = await fillChangedPathsBatch(sql, after, options);
    } catch (error) {
      // A lock the fill would have waited for: leave those candidates to the next pass.
      if (sqlState(error) !== "55P03" && sqlState(error) !== "40P01") throw error;
      break;
    }
    total.batches++;
    total.written += batch.written;
    total.skipped += batch.skipped;
    options.onBatch?.(batch);
    if (!batch.next) break;
    after = batch.next;
    // Yield to the event loop between batches: requests keep being served.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return total;
}

/** Events per sweep transaction: short lock holds when a burst of deliveries starts mid-pass. */
const SWEEP_BATCH_EVENTS = 200;

/**
 * The background sweep of each app instance: every `everyMs`, until the stored values are known to
 * be of this version, the version check (one row read; the clear of other versions' values when
 * this is the first start of a new version, by one instance of the cluster), then one fill pass.
 * Returns a stop function.
 *
 * It gives way to live ingest: a batch holds its candidates' row locks while it computes, and
 * ingest of those candidates would wait for it. While `busy()` says so (a burst of deliveries), no
 * pass starts and a running pass stops between batches, which are kept small; the export stays
 * exact meanwhile (it computes what is missing) and the sweep catches up when the burst is over.
 */
export function startChangedPathsLoop(getSql: () => Sql, options: { everyMs?: number; busy?: () => boolean } = {}): () => void {
  const everyMs = options.everyMs ?? 10_000;
  const busy = options.busy ?? (() => false);
  let running = false;
  let versionCurrent = false;
  const controller = new AbortController();
  const tick = async () => {
    if (running || busy()) return;
    running = true;
    try {
      if (!versionCurrent) {
        const check = await ensureChangedPathsVersion(getSql(), CURRENT_CHANGED_PATHS_VERSION, { pause: busy, signal: controller.signal });
        versionCurrent = check.state !== "unfinished";
        if (check.cleared > 0) logEvent("info", "changed paths of another version cleared", { count: check.cleared, finished: versionCurrent });
      }
      const result = await fillChangedPaths(getSql(), { signal: controller.signal, pause: busy, events: SWEEP_BATCH_EVENTS });
      if (result.written > 0) logEvent("info", "changed paths filled", { count: result.written });
    } catch (error) {
      logEvent("warn", "changed paths sweep failed", { error: errorMessage(error) });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => {
    controller.abort();
    clearInterval(timer);
  };
}
