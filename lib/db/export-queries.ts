/**
 * Reads for the CSV exports (lib/csv): keyset pages of events and deliveries with what their rows
 * need. Events: one plain-SQL query per page with the stored changed paths and stage moves; for
 * rows without them, their snapshots, the state before them and their stage transitions.
 */
import type { StageMove } from "../history/stage-move";
import type { EventKey, StageTransition } from "../history/types";
import type { DeliveryStatus } from "../contracts/delivery-status";
import { eventFilterSql, type EventFilters } from "./event-queries";
import type { PrismaClient } from "./generated/client";
import type { Sql, SqlParam } from "./sql";

/** One stored event as the export reads it (a page row). */
export interface ExportEvent {
  id: string;
  type: string;
  providerEvent: string | null;
  provider: string;
  endpointId: string;
  endpointName: string | null;
  deliveryId: string;
  occurredAt: Date;
  receivedAt: Date;
  candidateId: string;
  candidateExternalId: string | null;
  candidateName: string | null;
  candidateEmail: string | null;
  jobId: string | null;
  jobTitle: string | null;
  stageFrom: string | null;
  stageTo: string | null;
  actor: string | null;
  details: unknown;
  snapshot: unknown;
  /**
   * Rows with stored values may come without `providerEvent`, `stageFrom`, `stageTo`, `details`
   * and `snapshot` (null): only rows whose values are computed need them (`ComputeFields`).
   *
   * The stored `changed_fields` (events.changed_paths, `; `-joined); null or absent: not stored,
   * computed from the snapshots (then `snapshot`/`details` must be present).
   */
  changedPaths?: string | null;
  /** The stored stage move (events.derived_stage_*), present exactly when `changedPaths` is. */
  storedStage?: StageMove | null;
}

/** What computing a row's changed fields and stage move needs beyond the columns the CSV writes. */
export type ComputeFields = Pick<ExportEvent, "snapshot" | "details" | "providerEvent" | "stageFrom" | "stageTo">;

/** An event page row with what the database adds for the export. */
export interface ExportEventRow extends ExportEvent {
  transitions?: StageTransition[];
}

interface StoredPageRow {
  id: string;
  type: string;
  provider: string;
  endpoint_id: string;
  delivery_id: string;
  occurred_ms: number | string;
  received_ms: number | string;
  candidate_id: string;
  candidate_name: string | null;
  candidate_email: string | null;
  job_id: string | null;
  job_title: string | null;
  actor: string | null;
  changed_paths: string | null;
  derived_stage_from: string | null;
  derived_stage_to: string | null;
}

/**
 * One page of events, newest first by (occurred, received, id), without snapshots: the columns
 * the CSV writes and the stored changed paths and stage move (NULL when
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
  changedPathsVersion: number,
): Promise<ExportEventRow[]> {
  const params: SqlParam[] = [];
  const param = (value: SqlParam) => {
    params.push(value);
    return `$${params.length}`;
  };
  const and = eventFilterSql(filters, param);
  if (cursor) {
    and.push(
      `(e.occurred_at, e.received_at, e.id) < (${param(cursor.occurredAt.toISOString())}::timestamptz, ${param(cursor.receivedAt.toISOString())}::timestamptz, ${param(cursor.id)})`,
    );
  }
  const version = param(changedPathsVersion);
  const text = `SELECT e.id, e.type, e.provider, e.endpoint_id, e.delivery_id,
             round(date_part('epoch', e.occurred_at) * 1000)::float8 AS occurred_ms,
             round(date_part('epoch', e.received_at) * 1000)::float8 AS received_ms,
             e.candidate_id, e.candidate_name, e.candidate_email, e.job_id, e.job_title, e.actor,
             -- Stored values count only when computed by the running code's rules (lib/jobs/changed-paths-fill.ts).
             CASE WHEN e.changed_paths_version = ${version}::int THEN e.changed_paths END AS changed_paths,
             e.derived_stage_from, e.derived_stage_to
           FROM events e ${and.length > 0 ? `WHERE ${and.join(" AND ")}` : ""}
           ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC
           LIMIT ${Math.max(1, Math.floor(take))}`;
  // Prepared once per connection and filter shape (PostgreSQL): planning would cost ~1 ms a page.
  const rows = await sql.query<StoredPageRow>({ text, params, name: `export_events_${statementHash(text)}` });
  return rows.map(
    (r): ExportEventRow => ({
      id: r.id,
      type: r.type,
      providerEvent: null, // these four: read with the snapshots, for the rows that need them
      provider: r.provider,
      endpointId: r.endpoint_id,
      endpointName: endpointName(r.endpoint_id),
      deliveryId: r.delivery_id,
      occurredAt: new Date(Number(r.occurred_ms)),
      receivedAt: new Date(Number(r.received_ms)),
      candidateId: r.candidate_id,
      candidateExternalId: null, // read apart: candidateExternalIds
      candidateName: r.candidate_name,
      candidateEmail: r.candidate_email,
      jobId: r.job_id,
      jobTitle: r.job_title,
      stageFrom: null,
      stageTo: null,
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

/** What the fold and the stage move of a row without stored values need, and the page query leaves out. */
export async function eventSnapshots(sql: Sql, ids: string[]): Promise<Map<string, ComputeFields>> {
  const out = new Map<string, ComputeFields>();
  if (ids.length === 0) return out;
  const rows = await sql.query<{ id: string; snapshot: unknown; details: unknown; provider_event: string | null; stage_from: string | null; stage_to: string | null }>({
    text: `SELECT e.id, e.snapshot, e.details, e.provider_event, e.stage_from, e.stage_to FROM events e WHERE e.id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
    params: [JSON.stringify(ids)],
  });
  for (const r of rows) {
    out.set(r.id, { snapshot: r.snapshot ?? null, details: r.details ?? null, providerEvent: r.provider_event, stageFrom: r.stage_from, stageTo: r.stage_to });
  }
  return out;
}

/**
 * The provider's candidate ids (never change for a candidate row), cached for one export: a page's
 * unknown ones are read in one query instead of a primary-key probe per row in the page query.
 * Bounded: past `max` entries the cache starts over.
 */
export function candidateExternalIds(sql: Sql, max = 100_000) {
  let known = new Map<string, string | null>();
  return {
    async load(ids: Iterable<string>): Promise<void> {
      const missing = [...new Set(ids)].filter((id) => !known.has(id));
      if (missing.length === 0) return;
      if (known.size + missing.length > max) known = new Map();
      const rows = await sql.query<{ id: string; external_id: string }>({
        text: `SELECT id, external_id FROM candidates WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
        params: [JSON.stringify(missing)],
      });
      for (const id of missing) known.set(id, null);
      for (const r of rows) known.set(r.id, r.external_id);
    },
    get: (id: string): string | null => known.get(id) ?? null,
  };
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

export interface DeliveryExportFilters {
  endpointId?: string;
  status?: DeliveryStatus;
}

/** One page of deliveries newest first by (received, id) after `cursor`, as the deliveries CSV writes them (bodies only `withBody`). */
export async function readDeliveryExportPage(
  prisma: PrismaClient,
  filters: DeliveryExportFilters,
  cursor: { receivedAt: Date; id: string } | null,
  take: number,
  withBody: boolean,
) {
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
      bodySize: true,
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
            SELECT id, coalesce(body_size, octet_length(body))::int AS bytes FROM deliveries WHERE id = ANY(${rows.map((r) => r.id)}::text[])`
        ).map((r) => [r.id, Number(r.bytes)]),
      );
  return rows.map(({ endpoint, _count, body, bodySize, ...r }) => ({
    ...r,
    endpointName: endpoint?.name ?? null,
    eventCount: _count.events,
    // A bodiless delivery (erasure, retention) keeps its size in body_size.
    bodyBytes: bodySize ?? (sizes ? (sizes.get(r.id) ?? 0) : body ? body.length : 0),
    body: withBody ? (body ?? null) : undefined,
  }));
}

/** The candidate's provider id and name, for the export's file name. */
export function exportCandidateLabel(prisma: PrismaClient, id: string) {
  return prisma.candidate.findUnique({ where: { id }, select: { provider: true, externalId: true } });
}

export function exportEndpointLabel(prisma: PrismaClient, id: string) {
  return prisma.endpoint.findUnique({ where: { id }, select: { name: true } });
}

/** How many events and distinct candidates an events export with these filters writes. */
export async function countExportEvents(sql: Sql, filters: EventFilters): Promise<{ events: number; candidates: number }> {
  const params: SqlParam[] = [];
  const and = eventFilterSql(filters, (value) => {
    params.push(value);
    return `$${params.length}`;
  });
  const [row] = await sql.query<{ events: number | string; candidates: number | string }>({
    text: `SELECT count(*) AS events, count(DISTINCT e.candidate_id) AS candidates FROM events e ${and.length > 0 ? `WHERE ${and.join(" AND ")}` : ""}`,
    params,
  });
  return { events: Number(row.events), candidates: Number(row.candidates) };
}
