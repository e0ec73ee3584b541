import { redactCredentialHeaders } from "../auth/credential-headers";
import { listCandidates } from "../db/candidates";
import { getDelivery, listDeliveries } from "../db/deliveries";
import { listEvents } from "../db/event-queries";
import type { AdminContext } from "../http/admin-route";
import { readQuery } from "../http/admin-route";
import { decodeCursor, encodeCursor } from "../http/cursor";
import { HttpError, notFound } from "../http/errors";
import { reprocessDelivery } from "../ingest/process-delivery";
import type { Sql } from "../db/sql";
import { loadStageNames } from "../db/stage-names";
import { listCandidatesQuerySchema, listDeliveriesQuerySchema, listEventsQuerySchema, type ListCandidatesQuery } from "../contracts/requests";

export async function handleListCandidates({ sql, url }: AdminContext<unknown>) {
  return getCandidatesPage({ sql }, readQuery(url, listCandidatesQuerySchema));
}

/** One page of GET /api/candidates (the list page's server render reads the first one too). */
export async function getCandidatesPage({ sql }: { sql: Sql }, query: ListCandidatesQuery) {
  const cursor = query.cursor ? decodeCursor(query.cursor, ["date", "string"]) : null;
  const [page, nameStage] = await Promise.all([
    listCandidates({ sql }, { ...query, cursor: cursor ? { lastEventAt: cursor[0] as Date, id: cursor[1] as string } : undefined }),
    loadStageNames(sql),
  ]);
  const candidates = page.rows.map(({ mergedIntoTarget: target, ...row }) => {
    const at = { provider: row.provider };
    return {
      ...row,
      currentStage: nameStage(row.currentStage, at),
      stages: row.stages.map((s) => ({ ...s, stage: nameStage(s.stage, at) })),
      mergedInto: row.mergedIntoExternalId ? { externalId: row.mergedIntoExternalId, id: target?.id ?? null, name: target?.name ?? null } : null };
  });
  const last = page.rows.at(-1);
  return { candidates, nextCursor: page.hasMore && last ? encodeCursor([last.lastEventAt, last.id]) : null };
}

export async function handleListEvents({ sql, url }: AdminContext<unknown>) {
  const query = readQuery(url, listEventsQuerySchema);
  if (query.from && query.to && query.from >= query.to) throw new HttpError(400, "invalid_request", "from must be before to");
  const cursor = query.cursor ? decodeCursor(query.cursor, ["date", "date", "string"]) : null;
  const [page, nameStage] = await Promise.all([
    listEvents({ sql }, {
      ...query,
      cursor: cursor ? { occurredAt: cursor[0] as Date, receivedAt: cursor[1] as Date, id: cursor[2] as string } : undefined,
    }),
    loadStageNames(sql),
  ]);
  const events = page.rows.map((e) => ({ ...e, stageFrom: nameStage(e.stageFrom, e), stageTo: nameStage(e.stageTo, e) }));
  const last = page.rows.at(-1);
  return { events, nextCursor: page.hasMore && last ? encodeCursor([last.occurredAt, last.receivedAt, last.id]) : null };
}

export async function handleListDeliveries({ sql, prisma, url }: AdminContext<unknown>) {
  const query = readQuery(url, listDeliveriesQuerySchema);
  const cursor = query.cursor ? decodeCursor(query.cursor, ["date", "string"]) : null;
  const page = await listDeliveries({ sql, prisma }, {
    ...query,
    cursor: cursor ? { receivedAt: cursor[0] as Date, id: cursor[1] as string } : undefined,
  });
  const last = page.rows.at(-1);
  return {
    deliveries: page.rows,
    nextCursor: page.hasMore && last ? encodeCursor([last.receivedAt, last.id]) : null,
  };
}

export async function handleGetDelivery({ sql, params }: AdminContext<{ id: string }>) {
  const delivery = await getDelivery(sql, params.id);
  if (!delivery) throw notFound("delivery", params.id);
  const { _count, body, ...row } = delivery;
  const bytes = Buffer.from(body);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  return {
    ...row,
    headers: redactCredentialHeaders(row.headers),
    eventCount: _count.events,
    // Exactly as received: base64 always; text as well for display (invalid bytes shown as U+FFFD).
    // A bodiless delivery (erasure, retention) keeps its size; `purged` says the bytes are gone.
    body: row.bodyPurgedAt
      ? { base64: "", text: "", bytes: row.bodySize ?? 0, purged: true }
      : { base64: bytes.toString("base64"), text, bytes: bytes.length },
  };
}

export async function handleReprocessDelivery({ prisma, sql, params }: AdminContext<{ id: string }>) {
  const result = await reprocessDelivery({ prisma, sql }, params.id);
  if (!result.found) throw notFound("delivery", params.id);
  if (result.skipped === "bodiless") throw new HttpError(409, "delivery_bodiless", result.reason);
  if (result.skipped) {
    throw new HttpError(409, "duplicate_delivery", "this delivery is a duplicate; reprocess the original delivery instead");
  }
  const o = result.outcome;
  return { id: params.id, status: o.status, error: o.error, eventType: o.eventType, events: o.events.map((e) => ({ id: e.id, type: e.type })) };
}
