import type { Sql, SqlParam } from "./sql";
import { toDate } from "./sql-values";

/**
 * Event rows for the API in plain SQL, in the shape the Prisma `eventSelect` gave (the same keys,
 * dates as Date, JSON parsed): the event list and the timeline read 50 rows with their snapshots per
 * page, and through Prisma's client that cost more CPU than the database's whole answer.
 */
const COLUMNS = `e.id, e.type, e.provider_event, e.type_inferred, e.provider, e.endpoint_id, e.delivery_id, e.occurred_at, e.received_at,
  e.candidate_id, e.candidate_name, e.candidate_email, e.job_id, e.job_title, e.application_id, e.stage_from, e.stage_to,
  e.stage_derived, e.actor, e.details`;

interface EventRow {
  id: string;
  type: string;
  provider_event: string | null;
  type_inferred: boolean;
  provider: string;
  endpoint_id: string;
  delivery_id: string;
  occurred_at: Date | string;
  received_at: Date | string;
  candidate_id: string;
  candidate_name: string | null;
  candidate_email: string | null;
  job_id: string | null;
  job_title: string | null;
  application_id: string | null;
  stage_from: string | null;
  stage_to: string | null;
  stage_derived: boolean;
  actor: string | null;
  details: unknown;
  snapshot?: unknown;
}

/** jsonb arrives parsed from both drivers; a NULL column is null (never undefined) in the answer. */
const json = (value: unknown) => value ?? null;

function eventOf(r: EventRow) {
  return {
    id: r.id,
    type: r.type,
    providerEvent: r.provider_event,
    typeInferred: r.type_inferred,
    provider: r.provider,
    endpointId: r.endpoint_id,
    deliveryId: r.delivery_id,
    occurredAt: toDate(r.occurred_at),
    receivedAt: toDate(r.received_at),
    candidateId: r.candidate_id,
    candidateName: r.candidate_name,
    candidateEmail: r.candidate_email,
    jobId: r.job_id,
    jobTitle: r.job_title,
    applicationId: r.application_id,
    stageFrom: r.stage_from,
    stageTo: r.stage_to,
    stageDerived: r.stage_derived,
    actor: r.actor,
    details: json(r.details),
  };
}

export type EventRecord = ReturnType<typeof eventOf>;

/**
 * One page of events in one statement: `ids` is a query returning the page's event ids (`SELECT e.id
 * FROM events e … ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC LIMIT n`), whose rows are
 * then read by primary key, newest first (the timeline's and the event list's order).
 */
export async function readEventPage(sql: Sql, ids: { text: string; params: SqlParam[] }, options: { withSnapshot: true }): Promise<(EventRecord & { snapshot: unknown })[]>;
export async function readEventPage(sql: Sql, ids: { text: string; params: SqlParam[] }, options?: { withSnapshot?: boolean }): Promise<EventRecord[]>;
export async function readEventPage(sql: Sql, ids: { text: string; params: SqlParam[] }, options: { withSnapshot?: boolean } = {}) {
  const rows = await sql.query<EventRow>({
    text: `WITH page AS MATERIALIZED (${ids.text})
           SELECT ${COLUMNS}${options.withSnapshot ? ", e.snapshot" : ""}
           FROM page JOIN events e ON e.id = page.id
           ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC`,
    params: ids.params,
  });
  return rows.map((r) => (options.withSnapshot ? { ...eventOf(r), snapshot: json(r.snapshot) } : eventOf(r)));
}
