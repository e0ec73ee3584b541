import { candidateConditionsSql, type CandidateFilters } from "./candidate-filters";
import type { Sql, SqlParam, SqlQuery } from "./sql";
import { readEventPage } from "./event-rows";

export const eventSelect = {
  id: true,
  type: true,
  providerEvent: true,
  typeInferred: true,
  provider: true,
  endpointId: true,
  deliveryId: true,
  occurredAt: true,
  receivedAt: true,
  candidateId: true,
  candidateName: true,
  candidateEmail: true,
  jobId: true,
  jobTitle: true,
  applicationId: true,
  stageFrom: true,
  stageTo: true,
  stageDerived: true,
  actor: true,
  details: true,
} as const;

/** Filters shared by GET /api/events and the CSV export (one builder, one meaning). */
export interface EventFilters extends CandidateFilters {
  /** The candidate's events and those of the records merged into it: a survivor's include theirs, as its timeline does. */
  candidateId?: string;
  provider?: string;
  endpointId?: string;
  type?: string;
  from?: Date;
  to?: Date;
}

export interface ListEventsOptions extends EventFilters {
  limit: number;
  cursor?: { occurredAt: Date; receivedAt: Date; id: string };
  withSnapshot?: boolean;
}

/**
 * The filters as SQL text on the event row `e`, with positional parameters: one builder for
 * GET /api/events, the CSV export and its count. `q`, `stage`, `job`, `deleted` and `status` are
 * about the candidate, with the candidate list's meaning (lib/db/candidate-filters.ts), so exporting
 * from the candidates view gives the events of the candidates on screen.
 */
export function eventFilterSql(filters: EventFilters, param: (value: SqlParam) => string): string[] {
  const and: string[] = [];
  if (filters.candidateId) {
    // The records merged into it (Greenhouse's merge_candidate names the survivor by provider id) in
    // the same statement: a few rows, each read by the events' (candidate_id, order) index.
    const id = param(filters.candidateId);
    and.push(`e.candidate_id IN (SELECT ${id} UNION ALL SELECT m.id FROM candidates s
      JOIN candidates m ON m.provider = s.provider AND m.merged_into_external_id = s.external_id WHERE s.id = ${id})`);
  }
  if (filters.provider) and.push(`e.provider = ${param(filters.provider)}`);
  if (filters.endpointId) and.push(`e.endpoint_id = ${param(filters.endpointId)}`);
  if (filters.type) and.push(`e.type = ${param(filters.type)}`);
  if (filters.from) and.push(`e.occurred_at >= ${param(filters.from.toISOString())}::timestamptz`);
  if (filters.to) and.push(`e.occurred_at < ${param(filters.to.toISOString())}::timestamptz`);
  // A column of the event itself (copied from its candidate at insert): no join.
  if (!filters.includeTest) and.push(`NOT e.is_test`);
  const candidate = candidateConditionsSql(filters, param);
  if (candidate.length > 0) and.push(`EXISTS (SELECT 1 FROM candidates c WHERE c.id = e.candidate_id AND ${candidate.join(" AND ")})`);
  return and;
}

/**
 * Newest first by (occurred, received, id): the same order the timeline uses. The page's ids: one
 * plain-SQL query (the shared filters, a row-value cursor on the events' order index), limit + 1 of
 * them; tests/integration/events-plan.test.ts pins how it is answered.
 */
export function eventsPageQuery(options: ListEventsOptions): SqlQuery & { params: SqlParam[] } {
  const params: SqlParam[] = [];
  const param = (value: SqlParam) => {
    params.push(value);
    return `$${params.length}`;
  };
  const and = eventFilterSql(options, param);
  const c = options.cursor;
  if (c) {
    and.push(`(e.occurred_at, e.received_at, e.id) < (${param(c.occurredAt.toISOString())}::timestamptz, ${param(c.receivedAt.toISOString())}::timestamptz, ${param(c.id)})`);
  }
  return {
    text: `SELECT e.id FROM events e ${and.length > 0 ? `WHERE ${and.join(" AND ")}` : ""}
           ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC LIMIT ${Math.max(1, Math.floor(options.limit)) + 1}`,
    params,
  };
}

/** One page of GET /api/events: the page's ids (eventsPageQuery), then their rows read by id. */
export async function listEvents(db: { sql: Sql }, options: ListEventsOptions) {
  const rows = await readEventPage(db.sql, eventsPageQuery(options), { withSnapshot: options.withSnapshot ?? false });
  return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
}
