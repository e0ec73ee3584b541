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
import { Prisma, type PrismaClient } from "./generated/client";
import { getPredecessors, getStageTransitions } from "./timeline-queries";

/** An event page row with what the database adds for the export. */
export interface ExportEventRow extends ExportEvent {
  /** For the rows whose history must start from the state before them: the nearest earlier snapshot of the candidate. */
  before?: { requested: boolean; providerEvent: string | null; snapshot: unknown } | null;
  transitions?: StageTransition[];
}

/** The filters of lib/db/event-queries.ts eventFilterConditions, in SQL (the export reads a page in one query). */
function filterSql(filters: EventFilters): Prisma.Sql[] {
  const and: Prisma.Sql[] = [];
  if (filters.candidateId) and.push(Prisma.sql`e.candidate_id = ${filters.candidateId}`);
  if (filters.provider) and.push(Prisma.sql`e.provider = ${filters.provider}`);
  if (filters.endpointId) and.push(Prisma.sql`e.endpoint_id = ${filters.endpointId}`);
  if (filters.type) and.push(Prisma.sql`e.type = ${filters.type}`);
  if (filters.from) and.push(Prisma.sql`e.occurred_at >= ${filters.from.toISOString()}::timestamptz`);
  if (filters.to) and.push(Prisma.sql`e.occurred_at < ${filters.to.toISOString()}::timestamptz`);
  const candidate: Prisma.Sql[] = [];
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q)}%`;
    candidate.push(Prisma.sql`(c.name ILIKE ${pattern} OR c.email ILIKE ${pattern} OR c.external_id = ${filters.q})`);
  }
  if (filters.stage || filters.job) {
    const stage = filters.stage ? Prisma.sql`AND cs.stage = ${filters.stage}` : Prisma.empty;
    const job = filters.job ? Prisma.sql`AND (cs.job_key = ${filters.job} OR cs.job_title = ${filters.job})` : Prisma.empty;
    candidate.push(Prisma.sql`EXISTS (SELECT 1 FROM candidate_stages cs WHERE cs.candidate_id = c.id ${stage} ${job})`);
  }
  if (filters.deleted === "exclude") candidate.push(Prisma.sql`c.deleted_at IS NULL`);
  if (filters.deleted === "only") candidate.push(Prisma.sql`c.deleted_at IS NOT NULL`);
  if (candidate.length > 0) and.push(Prisma.sql`EXISTS (SELECT 1 FROM candidates c WHERE c.id = e.candidate_id AND ${Prisma.join(candidate, " AND ")})`);
  return and;
}

const iso = (column: string) => Prisma.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * One page of events, newest first by (occurred, received, id), in one query that PostgreSQL
 * answers as a single JSON text (one parse in Node instead of per-row, per-column decoding):
 * the event columns, the endpoint's name and the provider's candidate id; for the rows that start
 * a candidate's run in the page (`contiguous`) or every row (not contiguous), the nearest earlier
 * snapshot of the candidate (an index probe on (candidate, occurred, received, id)); and the
 * stages the event states per job with the job's previous stage (as the timeline reads them).
 */
export async function exportEventsPage(prisma: PrismaClient, filters: EventFilters, cursor: EventKey | null, take: number, contiguous = true): Promise<ExportEventRow[]> {
  const and = filterSql(filters);
  if (cursor) {
    and.push(Prisma.sql`(e.occurred_at, e.received_at, e.id) < (${cursor.occurredAt.toISOString()}::timestamptz, ${cursor.receivedAt.toISOString()}::timestamptz, ${cursor.id})`);
  }
  const where = and.length > 0 ? Prisma.sql`WHERE ${Prisma.join(and, " AND ")}` : Prisma.empty;
  const rows = await prisma.$queryRaw<{ page: string }[]>`
    WITH page AS (
      SELECT e.id, e.type, e.provider_event, e.provider, e.endpoint_id, e.delivery_id, e.occurred_at, e.received_at,
             e.candidate_id, e.candidate_name, e.candidate_email, e.job_id, e.job_title, e.stage_from, e.stage_to,
             e.actor, e.details, e.snapshot
      FROM events e ${where}
      ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC
      LIMIT ${Prisma.raw(String(Math.max(1, Math.floor(take))))}
    ), marked AS (
      -- Contiguous: only each candidate's oldest event with a snapshot in the page needs the state before it.
      SELECT p.*, (p.snapshot IS NOT NULL AND (${Prisma.raw(contiguous ? "false" : "true")} OR row_number() OVER (
        PARTITION BY p.candidate_id, p.snapshot IS NOT NULL ORDER BY p.occurred_at, p.received_at, p.id) = 1)) AS wants_before
      FROM page p
    )
    SELECT coalesce(json_agg(json_build_object(
        'id', p.id, 'type', p.type, 'providerEvent', p.provider_event, 'provider', p.provider,
        'endpointId', p.endpoint_id, 'endpointName', (SELECT ep.name FROM endpoints ep WHERE ep.id = p.endpoint_id), 'deliveryId', p.delivery_id,
        'occurredAt', ${iso("p.occurred_at")}, 'receivedAt', ${iso("p.received_at")},
        'candidateId', p.candidate_id, 'candidateExternalId', (SELECT c.external_id FROM candidates c WHERE c.id = p.candidate_id),
        'candidateName', p.candidate_name,
        'candidateEmail', p.candidate_email, 'jobId', p.job_id, 'jobTitle', p.job_title,
        'stageFrom', p.stage_from, 'stageTo', p.stage_to, 'actor', p.actor, 'details', p.details, 'snapshot', p.snapshot,
        'before', CASE WHEN p.wants_before THEN json_build_object('requested', true, 'providerEvent', b.provider_event, 'snapshot', b.snapshot) END,
        'transitions', tr.list
      ) ORDER BY p.occurred_at DESC, p.received_at DESC, p.id DESC), '[]')::text AS page
    -- Names by primary-key probes (scalar subqueries), not joins: a hash join would scan every candidate per page.
    FROM marked p
    LEFT JOIN LATERAL (
      SELECT x.provider_event, x.snapshot FROM events x
      WHERE p.wants_before AND x.candidate_id = p.candidate_id AND x.snapshot IS NOT NULL
        AND (x.occurred_at, x.received_at, x.id) < (p.occurred_at, p.received_at, p.id)
      ORDER BY x.occurred_at DESC, x.received_at DESC, x.id DESC
      LIMIT 1
    ) b ON true
    LEFT JOIN LATERAL (
      SELECT json_agg(json_build_object('event_id', es.event_id, 'job_key', es.job_key, 'job_title', es.job_title, 'stage', es.stage,
        'prev_stage', (SELECT ps.stage FROM event_stages ps
                        WHERE ps.candidate_id = es.candidate_id AND ps.job_key = es.job_key
                          AND (ps.occurred_at, ps.received_at, ps.event_id) < (es.occurred_at, es.received_at, es.event_id)
                        ORDER BY ps.occurred_at DESC, ps.received_at DESC, ps.event_id DESC LIMIT 1))) AS list
      FROM event_stages es WHERE es.event_id = p.id
    ) tr ON true`;
  const parsed = JSON.parse(rows[0]?.page ?? "[]") as (Omit<ExportEventRow, "occurredAt" | "receivedAt"> & { occurredAt: string; receivedAt: string })[];
  return parsed.map((r) => ({ ...r, occurredAt: new Date(r.occurredAt), receivedAt: new Date(r.receivedAt) }));
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
  prisma: PrismaClient,
  filters: EventFilters,
  options: { contiguous: boolean; onQuery?: (name: string) => void },
): EventExportSource {
  return {
    page: (cursor, take) => {
      options.onQuery?.("page");
      return exportEventsPage(prisma, filters, cursor, take, options.contiguous);
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
        out.push(...(await getStageTransitions(prisma, missing)));
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
