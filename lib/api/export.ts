/**
 * GET /api/events/export.csv and GET /api/deliveries/export.csv: the CSV exports, streamed.
 * Parameters are checked first (400 with the zod issues); the first page is read before the
 * response starts (a database error is still a JSON 503); then one page is read per chunk pulled
 * by the client. The client going away (request signal, or the stream cancelled) stops the loop.
 */
import { recordAudit } from "../auth/audit";
import { deliveryCsvChunks } from "../csv/deliveries";
import { eventCsvChunks } from "../csv/export-events";
import { contentDisposition, csvByteStream, csvFileName } from "../csv/stream";
import { countExportEvents, exportCandidateLabel, exportEndpointLabel } from "../db/export-queries";
import type { AdminContext } from "../http/admin-route";
import { readQuery } from "../http/admin-route";
import { HttpError } from "../http/errors";
import { historyConfigFor } from "../history/provider-config";
import { deliveryExportSource, eventExportSource } from "./export-sources";
import { exportDeliveriesQuerySchema, exportEventsQuerySchema } from "../contracts/requests";
import { loadStageNames } from "../db/stage-names";

const day = (d: Date) => d.toISOString().slice(0, 10);

function dateRange(from?: Date, to?: Date): string | null {
  if (from && to) return `${day(from)}_${day(to)}`;
  if (from) return `from-${day(from)}`;
  if (to) return `until-${day(to)}`;
  return null;
}

async function firstChunk(chunks: AsyncGenerator<string, void, undefined>) {
  try {
    return await chunks.next();
  } catch (error) {
    await chunks.return(undefined).catch(() => {});
    throw error;
  }
}

function csvResponse(body: ReadableStream<Uint8Array>, fileName: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": contentDisposition(fileName),
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

/**
 * The export's second audit entry, written when its stream ends: how many rows went out and whether
 * the file was complete. The first (who and which filters) is written by adminRoute before any byte
 * is sent, so an export that never finishes is on record too.
 */
function auditEnd(ctx: AdminContext<unknown>, action: string, counter: { rows: number }) {
  return (complete: boolean) =>
    recordAudit(ctx.sql, {
      actor: ctx.principal.actor,
      action,
      details: { rows: counter.rows, complete, ...(ctx.url.search ? { query: Object.fromEntries(ctx.url.searchParams) } : {}) },
    });
}

/** Options the tests use to watch the query loop. */
export interface ExportHooks {
  onQuery?: (name: string) => void;
  pageSize?: number;
}
let hooks: ExportHooks = {};
export function setExportHooks(next: ExportHooks): void {
  hooks = next;
}

export async function handleExportEvents(ctx: AdminContext<unknown>) {
  const { prisma, sql, url, request } = ctx;
  const query = readQuery(url, exportEventsQuerySchema);
  if (query.from && query.to && query.from >= query.to) throw new HttpError(400, "invalid_request", "from must be before to");
  // A merge survivor's export has the events of the records merged into it, as its timeline does
  // (eventFilterSql), and a stage is found by its name in Settings (candidateConditionsSql).
  const { bom, ...filters } = query;
  const [candidate, endpoint, nameStage] = await Promise.all([
    filters.candidateId ? exportCandidateLabel(prisma, filters.candidateId) : null,
    filters.endpointId ? exportEndpointLabel(prisma, filters.endpointId) : null,
    loadStageNames(sql),
  ]);
  const fileName = csvFileName("events", [
    candidate ? `${candidate.provider}-candidate-${candidate.externalId}` : filters.candidateId ? `candidate-${filters.candidateId}` : null,
    filters.provider,
    endpoint ? endpoint.name : filters.endpointId,
    filters.type,
    filters.stage ? `stage-${filters.stage}` : null,
    filters.job ? `job-${filters.job}` : null,
    filters.q ? `q-${filters.q}` : null,
    filters.deleted === "only" ? "deleted" : filters.deleted === "exclude" ? "not-deleted" : null,
    dateRange(filters.from, filters.to),
  ]);
  // A type or endpoint filter can leave out some of a candidate's events: diff each event on its own.
  const contiguous = !filters.type && !filters.endpointId;
  const counter = { rows: 0 };
  const chunks = eventCsvChunks(eventExportSource(sql, filters, { contiguous, onQuery: hooks.onQuery }), {
    contiguous,
    historyFor: historyConfigFor,
    nameStage,
    pageSize: hooks.pageSize,
    signal: request.signal,
    onPage: ({ rows }) => void (counter.rows += rows),
  });
  const first = await firstChunk(chunks);
  return csvResponse(csvByteStream(chunks, { bom, signal: request.signal, first, onEnd: auditEnd(ctx, "export.events.finished", counter) }), fileName);
}

export async function handleExportDeliveries(ctx: AdminContext<unknown>) {
  const { prisma, url, request } = ctx;
  const query = readQuery(url, exportDeliveriesQuerySchema);
  const endpoint = query.endpointId ? await exportEndpointLabel(prisma, query.endpointId) : null;
  const fileName = csvFileName("deliveries", [endpoint ? endpoint.name : query.endpointId, query.status, query.body ? "with-bodies" : null]);
  const counter = { rows: 0 };
  const chunks = deliveryCsvChunks(deliveryExportSource(prisma, { endpointId: query.endpointId, status: query.status }, query.body), {
    withBody: query.body,
    pageSize: hooks.pageSize,
    signal: request.signal,
    onPage: ({ rows }) => {
      counter.rows += rows;
      hooks.onQuery?.("deliveries");
    },
  });
  const first = await firstChunk(chunks);
  return csvResponse(csvByteStream(chunks, { bom: query.bom, signal: request.signal, first, onEnd: auditEnd(ctx, "export.deliveries.finished", counter) }), fileName);
}

/** GET /api/events/export-count: what the events export with these filters would write (the button says it). */
export async function handleCountExportEvents({ sql, url }: AdminContext<unknown>) {
  const query = readQuery(url, exportEventsQuerySchema);
  if (query.from && query.to && query.from >= query.to) throw new HttpError(400, "invalid_request", "from must be before to");
  const { bom: _bom, ...filters } = query;
  return countExportEvents(sql, filters);
}
