/**
 * The streamed events export: keyset pages newest first, each page turned into CSV text with its
 * changed fields and stage transitions, one page in memory at a time. The database is behind
 * `EventExportSource` (lib/api/export-sources.ts implements it), so this stays framework-free.
 *
 * Changed fields and stage moves are stored per event (events.changed_paths and derived_stage_*,
 * lib/jobs/changed-paths-fill.ts): rows that have them are written as read. Rows whose values are
 * missing (the sweep is behind, or a late event made them stale) are computed here from the
 * snapshots, exactly as the sweep would; the output is the same either way.
 *
 * Memory: two pages of rows (the one being written and the next, read ahead while this one is
 * written): 1,000 rows without snapshots, or 100 after a page that had values to compute (those
 * carry snapshots and, per candidate in the page, the state before its oldest event there).
 * Nothing is carried from one page to the next but the keyset cursor, so memory does not grow with
 * the number of rows or candidates exported.
 *
 * Order: newest first by (occurred, received, id), like GET /api/events. Diffs need the state
 * *before* each event, i.e. older rows that come later in this order, so they are read per page
 * (index probes on (candidate, occurred, received, id)) instead of being carried over: carrying
 * states across pages would mean holding one state per candidate seen (unbounded), and exporting in
 * (candidate, occurred) order would hold one candidate's whole history to reverse it.
 */
import { defaultHistoryConfig } from "../history/diff";
import type { NameStage } from "../history/stage-names";
import type { HistoryConfig } from "../history/types";
import { stageOf } from "../history/stage-move";
import type { EventKey, StageTransition } from "../history/types";
import { EVENT_COLUMNS, eventCsvRow, pageChangedFields, stateRequests, type ComputeFields, type ExportEvent } from "./events";
import { formatHeader } from "./writer";

export interface EventExportSource {
  /** Up to `take` events after `cursor` (exclusive) in (occurred, received, id) descending order (with snapshots unless `snapshots` is given). */
  page(cursor: EventKey | null, take: number): Promise<ExportEvent[]>;
  /**
   * Snapshots and details of rows the page returned without them (those whose changed paths are
   * not stored); absent: the page rows carry them.
   */
  snapshots?(events: ExportEvent[]): Promise<Map<string, ComputeFields>>;
  /** The candidate's known state just before each event (keyed by event id; absent/undefined: nothing before). */
  statesBefore(events: ExportEvent[], historyFor: (provider: string) => HistoryConfig): Promise<Map<string, unknown>>;
  /** The stages these events state per job, with the job's previous stage (history order); `rows` are the page rows (a source may have read them with the page). */
  stageTransitions(eventIds: string[], rows?: ExportEvent[]): Promise<StageTransition[]>;
}

export interface EventExportOptions {
  /** Rows per page (the next page after one with changed paths to compute: `computePageSize`). */
  pageSize?: number;
  computePageSize?: number;
  /** Events of a candidate in the export are consecutive in its history (no type/endpoint filter). */
  contiguous: boolean;
  historyFor?: (provider: string) => HistoryConfig;
  /** The stage names given in Settings (lib/history/stage-names.ts); absent: stages as stored. */
  nameStage?: NameStage;
  signal?: AbortSignal;
  /** Called once per page read (tests, progress). */
  onPage?: (info: { page: number; rows: number }) => void;
}

export const DEFAULT_EXPORT_PAGE_SIZE = 1_000;
export const DEFAULT_COMPUTE_PAGE_SIZE = 100;

function rowsToCompute(rows: readonly ExportEvent[], contiguous: boolean): ExportEvent[] {
  const missing = rows.filter((r) => r.changedPaths === null || r.changedPaths === undefined);
  if (!contiguous || missing.length === 0 || missing.length === rows.length) return missing;
  const candidates = new Set(missing.map((r) => r.candidateId));
  return rows.filter((r) => candidates.has(r.candidateId));
}

/**
 * Yields CSV text: the header together with the first page (so a database error surfaces before
 * any byte is sent), then one chunk per page. Stops when the rows run out, when `signal` aborts,
 * or when the consumer calls `return()` (a cancelled download).
 */
export async function* eventCsvChunks(source: EventExportSource, options: EventExportOptions): AsyncGenerator<string, void, undefined> {
  const pageSize = options.pageSize ?? DEFAULT_EXPORT_PAGE_SIZE;
  // Pages whose changed paths are computed here hold snapshots and diffs: smaller, for a flat heap.
  const computePageSize = Math.min(pageSize, options.computePageSize ?? DEFAULT_COMPUTE_PAGE_SIZE);
  const historyFor = options.historyFor ?? (() => defaultHistoryConfig);
  const nameStage = options.nameStage;
  let prefix = formatHeader(EVENT_COLUMNS);
  let take = pageSize;
  const read = (cursor: EventKey | null) => {
    const promise = source.page(cursor, take);
    promise.catch(() => {}); // awaited below; a read left behind by a cancelled export must not go unhandled
    return promise;
  };
  let next: Promise<ExportEvent[]> | null = read(null);
  for (let page = 1; next; page++) {
    if (options.signal?.aborted) return;
    const rows: ExportEvent[] = await next;
    options.onPage?.({ page, rows: rows.length });
    // The next page is read while this one is diffed and written (the database and Node overlap).
    const last = rows[rows.length - 1];
    const full = rows.length === take;
    take = rows.some((r) => r.changedPaths === null || r.changedPaths === undefined) ? computePageSize : pageSize;
    next = full ? read({ occurredAt: last.occurredAt, receivedAt: last.receivedAt, id: last.id }) : null;
    if (rows.length === 0) break;
    // Stored paths are used as they are; the others are computed from the snapshots (contiguous:
    // every row of such a candidate in the page, so its run is folded once).
    const work = rowsToCompute(rows, options.contiguous);
    if (work.length > 0 && source.snapshots) {
      // The page's own row objects: the stage move below reads them too.
      const found = await source.snapshots(work);
      for (const e of work) Object.assign(e, found.get(e.id) ?? { snapshot: null, details: null });
    }
    const requests = work.length > 0 ? stateRequests(work, options.contiguous, historyFor) : [];
    // Stage moves are stored with the paths; the other rows read their stage transitions.
    const unstaged = rows.filter((r) => r.storedStage === undefined);
    const [states, transitions] = await Promise.all([
      requests.length > 0 ? source.statesBefore(requests, historyFor) : Promise.resolve(new Map<string, unknown>()),
      unstaged.length > 0 ? source.stageTransitions(unstaged.map((r) => r.id), unstaged) : Promise.resolve([] as StageTransition[]),
    ]);
    const byEvent = new Map<string, StageTransition[]>();
    for (const t of transitions) {
      const list = byEvent.get(t.event_id);
      if (list) list.push(t);
      else byEvent.set(t.event_id, [t]);
    }
    const changed = work.length > 0 ? pageChangedFields(work, states, options.contiguous, historyFor) : null;
    let text = prefix;
    prefix = "";
    for (const e of rows) {
      const stored = e.storedStage !== undefined ? e.storedStage : stageOf(e, byEvent.get(e.id) ?? []);
      const stage = stored && nameStage ? { from: nameStage(stored.from, e), to: nameStage(stored.to, e) } : stored;
      text += eventCsvRow(e, stage, e.changedPaths ?? changed?.get(e.id) ?? []);
    }
    yield text;
  }
  if (prefix) yield prefix; // no rows at all: the header alone
}
