/**
 * Reads for the CSV exports (lib/csv): keyset pages of events and deliveries with what their rows
 * need (one query per events page: rows, names, the state before each candidate run, stage transitions).
 */
import type { DeliveryExportSource, DeliveryKey, ExportDelivery } from "../csv/deliveries";
import type { EventExportSource } from "../csv/export-events";
import type { EventKey, ExportEvent, StageTransition } from "../csv/events";
import { isPartial, stateFromPredecessors, type HistoryEvent } from "../history/build-timeline";
import type { HistoryConfig } from "../history/types";
import type { DeliveryStatus } from "./deliveries";
import { escapeLike, type EventFilters } from "./event-queries";
import type { PrismaClient } from "./generated/client";
import { CURRENT_CHANGED_PATHS_VERSION } from "./changed-paths-fill";
import type { Sql, SqlParam } from "./sql";
import { readStageTransitions } from "./changed-paths-queries";
import { getPredecessors } from "./timeline-queries";

/** An event page row with what the database adds for the export. */
export interface ExportEventRow extends ExportEvent {
  /** For the rows whose history must start from the state before them: the nearest earlier snapshot of the candidate. */
  before?: { requested: boolean; providerEvent: string | null; snapshot: unknown } | null;
  transitions?: StageTransition[];
}

/** The filters of lib/db/event-queries.ts eventFilterConditions, as SQL text with positional parameters (the export reads a page in one query). */
function filterText(filters: EventFilters, param: (value: SqlParam) => string): string[] {
  const and: string[] = [];
  if (filters.candidateId) and.push(`e.candidate_id = ${param(filters.candidateId)}`);
  if (filters.provider) and.push(`e.provider = ${param(filters.provider)}`);
  if (filters.endpointId) and.push(`e.endpoint_id = ${param(filters.endpointId)}`);
  if (filters.type) and.push(`e.type = ${param(filters.type)}`);
  if (filters.from) and.push(`e.occurred_at >= ${param(filters.from.toISOString())}::timestamptz`);
  if (filters.to) and.push(`e.occurred_at < ${param(filters.to.toISOString())}::timestamptz`);
  const candidate: string[] = [];
  if (filters.q) {
    const pattern = param(`%${escapeLike(filters.q)}%`);
    candidate.push(`(c.name ILIKE ${pattern} OR c.email ILIKE ${pattern} OR c.external_id = ${param(filters.q)})`);
  }
  if (filters.stage || filters.job) {
    const stage = filters.stage ? `AND cs.stage = ${param(filters.stage)}` : "";
    const job = filters.job ? `AND (cs.job_key = ${param(filters.job)} OR cs.job_title = ${param(filters.job)})` : "";
    candidate.push(`EXISTS (SELECT 1 FROM candidate_stages cs WHERE cs.candidate_id = c.id ${stage} ${job})`);
  }
  if (filters.deleted === "exclude") candidate.push(`c.deleted_at IS NULL`);
  if (filters.deleted === "only") candidate.push(`c.deleted_at IS NOT NULL`);
  if (candidate.length > 0) and.push(`EXISTS (SELECT 1 FROM candidates c WHERE c.id = e.candidate_id AND ${candidate.join(" AND ")})`);
  return and;
}

interface StoredPageRow {
  id: string;
  type: string;
  provider_event: string | null;
  provider: string;
  endpoint_id: string;
  delivery_id: string;
  occurred_ms: number | string;
  received_ms: number | string;
  candidate_id: string;
  candidate_external_id: string | null;
  candidate_name: string | null;
  candidate_email: string | null;
  job_id: string | null;
  job_title: string | null;
  stage_from: string | null;
  stage_to: string | null;
  actor: string | null;
  changed_paths: string | null;
  derived_stage_from: string | null;
  derived_stage_to: string | null;
}

/**
 * One page of events, newest first by (occurred, received, id), without snapshots: the event
 * columns, the provider's candidate id, and the stored changed paths and stage move (NULL when
 * missing or of another version: the caller computes those rows from `eventSnapshots` and the
 * stage transitions). Plain rows the driver hands over as they come: PostgreSQL builds no JSON and
 * Node parses none. Times come as epoch milliseconds (the columns are timestamptz(3)), cheap to
 * read on both sides.
 */
export async function exportStoredPathsPage(
  sql: Sql,
  filters: EventFilters,
  cursor: EventKey | null,
  take: number,
  endpointName: (id: string) => string | null,
  changedPathsVersion = CURRENT_CHANGED_PATHS_VERSION,
): Promise<ExportEventRow[]> {
  const params: SqlParam[] = [];
  const param = (value: SqlParam) => {
    params.push(value);
    return `$${params.length}`;
  };
  const and = filterText(filters, param);
  if (cursor) {
    and.push(
      `(e.occurred_at, e.received_at, e.id) < (${param(cursor.occurredAt.toISOString())}::timestamptz, ${param(cursor.receivedAt.toISOString())}::timestamptz, ${param(cursor.id)})`,
    );
  }
  const version = param(changedPathsVersion);
  const text = `SELECT p.id, p.type, p.provider_event, p.provider, p.endpoint_id, p.delivery_id, p.occurred_ms, p.received_ms, p.candidate_id,
             (SELECT c.external_id FROM candidates c WHERE c.id = p.candidate_id) AS candidate_external_id,
             p.candidate_name, p.candidate_email, p.job_id, p.job_title, p.stage_from, p.stage_to, p.actor, p.changed_paths,
             p.derived_stage_from, p.derived_stage_to
           FROM (
             SELECT e.id, e.type, e.provider_event, e.provider, e.endpoint_id, e.delivery_id, e.occurred_at, e.received_at,
               round(date_part('epoch', e.occurred_at) * 1000)::float8 AS occurred_ms,
               round(date_part('epoch', e.received_at) * 1000)::float8 AS received_ms,
               e.candidate_id, e.candidate_name, e.candidate_email, e.job_id, e.job_title, e.stage_from, e.stage_to, e.actor,
               CASE WHEN e.changed_paths_version = ${version}::int THEN e.changed_paths END AS changed_paths,
               e.derived_stage_from, e.derived_stage_to
             FROM events e ${and.length > 0 ? `WHERE ${and.join(" AND ")}` : ""}
             ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC
             LIMIT ${Math.max(1, Math.floor(take))}
           ) p
           ORDER BY p.occurred_at DESC, p.received_at DESC, p.id DESC`;
  // Prepared once per connection and filter shape (PostgreSQL): planning would cost ~1 ms a page.
  const rows = await sql.query<StoredPageRow>({ text, params, name: `export_events_${statementHash(text)}` });
  return rows.map(
    (r): ExportEventRow => ({
      id: r.id,
      type: r.type,
      providerEvent: r.provider_event,
      provider: r.provider,
      endpointId: r.endpoint_id,
      endpointName: endpointName(r.endpoint_id),
      deliveryId: r.delivery_id,
      occurredAt: new Date(Number(r.occurred_ms)),
      receivedAt: new Date(Number(r.received_ms)),
      candidateId: r.candidate_id,
      candidateExternalId: r.candidate_external_id,
      candidateName: r.candidate_name,
      candidateEmail: r.candidate_email,
      jobId: r.job_id,
      jobTitle: r.job_title,
      stageFrom: r.stage_from,
      stageTo: r.stage_to,
      actor: r.actor,
      details: null,
      snapshot: null,
      changedPaths: r.changed_paths,
      // Stored with the paths: valid exactly when they are (a NULL `to` is "no stage move").
      storedStage: r.changed_paths === null ? undefined : r.derived_stage_to === null ? null : { from: r.derived_stage_from, to: r.derived_stage_to },
    }),
  );
}

function statementHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}

/** Snapshots and details of the events whose changed paths are computed at export time. */
export async function eventSnapshots(sql: Sql, ids: string[]): Promise<Map<string, { snapshot: unknown; details: unknown }>> {
  const out = new Map<string, { snapshot: unknown; details: unknown }>();
  if (ids.length === 0) return out;
  const rows = await sql.query<{ id: string; snapshot: unknown; details: unknown }>({
    text: `SELECT e.id, e.snapshot, e.details FROM events e WHERE e.id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
    params: [JSON.stringify(ids)],
  });
  for (const r of rows) out.set(r.id, { snapshot: r.snapshot ?? null, details: r.details ?? null });
  return out;
}

/** Endpoint names by id, read once per export (a handful of rows) and again for an id it does not know. */
export function endpointNames(sql: Sql): { load(): Promise<void>; get(id: string): string | null | undefined } {
  let names = new Map<string, string>();
  return {
    async load() {
      const rows = await sql.query<{ id: string; name: string }>({ text: `SELECT id, name FROM endpoints` });
      names = new Map(rows.map((r) => [r.id, r.name]));
    },
    get: (id) => names.get(id),
  };
}

interface PredecessorRow {
  event_id: string;
  provider_event: string | null;
  snapshot: string;
}

/**
 * The known state of each event's candidate just before it: the nearest earlier event with a
 * snapshot (read with the page when it asked for it, else here for all of them in one query).
 * When that snapshot is partial (merged over the state, e.g. Outhire stage_changed), the chain is
 * read further back for that candidate, as the timeline does.
 */
export async function statesBefore(prisma: PrismaClient, events: ExportEventRow[], historyFor: (provider: string) => HistoryConfig): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  if (events.length === 0) return out;
  const found = new Map<string, { provider_event: string | null; snapshot: unknown }>();
  const missing = events.filter((e) => !e.before?.requested);
  for (const e of events) {
    if (e.before?.requested && e.before.snapshot !== null && e.before.snapshot !== undefined) found.set(e.id, { provider_event: e.before.providerEvent, snapshot: e.before.snapshot });
  }
  if (missing.length > 0) {
    const rows = await prisma.$queryRaw<PredecessorRow[]>`
      SELECT k.event_id, p.provider_event, p.snapshot::text AS snapshot
      FROM unnest(${missing.map((e) => e.id)}::text[], ${missing.map((e) => e.candidateId)}::text[],
                  ${missing.map((e) => e.occurredAt.toISOString())}::text[], ${missing.map((e) => e.receivedAt.toISOString())}::text[])
        AS k(event_id, candidate_id, occurred_at, received_at)
      CROSS JOIN LATERAL (
        SELECT e.provider_event, e.snapshot FROM events e
        WHERE e.candidate_id = k.candidate_id AND e.snapshot IS NOT NULL
          AND (e.occurred_at, e.received_at, e.id) < (k.occurred_at::timestamptz, k.received_at::timestamptz, k.event_id)
        ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC
        LIMIT 1
      ) p`;
    for (const row of rows) found.set(row.event_id, { provider_event: row.provider_event, snapshot: JSON.parse(row.snapshot) });
  }
  const byId = new Map(events.map((e) => [e.id, e]));
  for (const [id, row] of found) {
    const event = byId.get(id)!;
    const history = historyFor(event.provider);
    if (!isPartial({ providerEvent: row.provider_event }, history)) out.set(id, row.snapshot);
    else out.set(id, await stateBeforeChain(prisma, event, history));
  }
  return out;
}

const PREDECESSOR_BATCHES = [20, 100];
const PREDECESSOR_MAX = 2_000;

/** The timeline's walk back over partial snapshots until a full one (lib/api/timeline.ts knownStateBefore). */
async function stateBeforeChain(prisma: PrismaClient, event: ExportEvent, history: HistoryConfig): Promise<unknown> {
  const collected: HistoryEvent[] = [];
  let key: EventKey = event;
  for (let round = 0; collected.length < PREDECESSOR_MAX; round++) {
    const size = PREDECESSOR_BATCHES[Math.min(round, PREDECESSOR_BATCHES.length - 1)];
    const batch = await getPredecessors(prisma, event.candidateId, key, size);
    collected.push(...(batch as HistoryEvent[]));
    const result = stateFromPredecessors(collected, history);
    if (result.complete || batch.length < size) return result.state;
    key = batch.at(-1)!;
  }
  return stateFromPredecessors(collected, history).state;
}

export function eventExportSource(
  db: { prisma: PrismaClient; sql: Sql },
  filters: EventFilters,
  options: { contiguous: boolean; onQuery?: (name: string) => void; changedPathsVersion?: number },
): EventExportSource {
  const { prisma, sql } = db;
  const endpoints = endpointNames(sql);
  let endpointsLoaded: Promise<void> | null = null;
  return {
    page: async (cursor, take) => {
      options.onQuery?.("page");
      endpointsLoaded ??= endpoints.load();
      await endpointsLoaded;
      let unknown = false;
      const rows = await exportStoredPathsPage(
        sql,
        filters,
        cursor,
        take,
        (id) => {
          const name = endpoints.get(id);
          if (name === undefined) unknown = true;
          return name ?? null;
        },
        options.changedPathsVersion,
      );
      if (unknown) {
        // An endpoint created after the export started: read the names again.
        await (endpointsLoaded = endpoints.load());
        for (const r of rows) r.endpointName = endpoints.get(r.endpointId) ?? null;
      }
      return rows;
    },
    snapshots: (events) => {
      options.onQuery?.("snapshots");
      return eventSnapshots(sql, events.map((e) => e.id));
    },
    statesBefore: (events, historyFor) => {
      if (events.some((e) => !(e as ExportEventRow).before?.requested)) options.onQuery?.("statesBefore");
      return statesBefore(prisma, events as ExportEventRow[], historyFor);
    },
    stageTransitions: async (ids, rows) => {
      const out: StageTransition[] = [];
      const missing: string[] = [];
      for (const row of (rows ?? []) as ExportEventRow[]) {
        if (row.transitions !== undefined) out.push(...(row.transitions ?? []));
        else missing.push(row.id);
      }
      if (!rows) missing.push(...ids);
      if (missing.length > 0) {
        options.onQuery?.("stageTransitions");
        out.push(...(await readStageTransitions(sql, missing)));
      }
      return out;
    },
  };
}

export interface DeliveryExportFilters {
  endpointId?: string;
  status?: DeliveryStatus;
}

export function deliveryExportSource(prisma: PrismaClient, filters: DeliveryExportFilters, withBody: boolean): DeliveryExportSource {
  return {
    async page(cursor: DeliveryKey | null, take: number): Promise<ExportDelivery[]> {
      const rows = await prisma.delivery.findMany({
        where: {
          ...(filters.endpointId ? { endpointId: filters.endpointId } : {}),
          ...(filters.status ? { status: filters.status } : {}),
          ...(cursor ? { OR: [{ receivedAt: { lt: cursor.receivedAt } }, { receivedAt: cursor.receivedAt, id: { lt: cursor.id } }] } : {}),
        },
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
        take,
        select: {
          id: true,
          endpointId: true,
          provider: true,
          receivedAt: true,
          method: true,
          query: true,
          contentType: true,
          status: true,
          error: true,
          eventType: true,
          duplicateOfId: true,
          idempotencyKey: true,
          idempotencySource: true,
          processedAt: true,
          processCount: true,
          bodySha256: true,
          schemaDrift: true,
          headers: true,
          body: withBody,
          endpoint: { select: { name: true } },
          _count: { select: { events: true } },
        },
      });
      const sizes = withBody
        ? null
        : new Map(
            (
              await prisma.$queryRaw<{ id: string; bytes: number }[]>`
                SELECT id, octet_length(body)::int AS bytes FROM deliveries WHERE id = ANY(${rows.map((r) => r.id)}::text[])`
            ).map((r) => [r.id, Number(r.bytes)]),
          );
      return rows.map(({ endpoint, _count, body, ...r }) => ({
        ...r,
        endpointName: endpoint?.name ?? null,
        eventCount: _count.events,
        bodyBytes: body ? body.length : (sizes?.get(r.id) ?? 0),
        body: withBody ? (body ?? null) : undefined,
      }));
    },
  };
}

/** The candidate's provider id and name, for the export's file name. */
export function exportCandidateLabel(prisma: PrismaClient, id: string) {
  return prisma.candidate.findUnique({ where: { id }, select: { provider: true, externalId: true } });
}

export function exportEndpointLabel(prisma: PrismaClient, id: string) {
  return prisma.endpoint.findUnique({ where: { id }, select: { name: true } });
}
