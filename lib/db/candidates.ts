import { candidateConditionsSql, type CandidateFilters } from "./candidate-filters";
import type { Sql, SqlParam, SqlQuery } from "./sql";
import { jsonList, toDate } from "./sql-values";

export interface ListCandidatesOptions extends CandidateFilters {
  provider?: string;
  limit: number;
  cursor?: { lastEventAt: Date; id: string };
}

/**
 * The ids of one page, newest event first (limit + 1 rows: the extra one says there is more): the
 * shared filter builder, a row-value cursor on the (last_event_at, id) index, the trigram index for `q`.
 */
export function candidatesPageQuery(options: ListCandidatesOptions): SqlQuery {
  const params: SqlParam[] = [];
  const param = (value: SqlParam) => {
    params.push(value);
    return `$${params.length}`;
  };
  const and = candidateConditionsSql(options, param);
  if (options.provider) and.push(`c.provider = ${param(options.provider)}`);
  if (!options.includeTest) and.push(`NOT c.is_test`);
  if (options.cursor) {
    and.push(`(c.last_event_at, c.id) < (${param(options.cursor.lastEventAt.toISOString())}::timestamptz, ${param(options.cursor.id)})`);
  }
  return {
    text: `SELECT c.id FROM candidates c ${and.length > 0 ? `WHERE ${and.join(" AND ")}` : ""}
           ORDER BY c.last_event_at DESC, c.id DESC LIMIT ${Math.max(1, Math.floor(options.limit)) + 1}`,
    params,
  };
}

interface CandidateRow {
  id: string;
  provider: string;
  external_id: string;
  name: string | null;
  email: string | null;
  current_stage: string | null;
  current_job: string | null;
  event_count: number;
  first_seen_at: Date | string;
  last_event_at: Date | string;
  deleted_at: Date | string | null;
  merged_into_external_id: string | null;
  status: string;
  is_test: boolean;
  stages: { jobKey: string; jobTitle: string | null; stage: string; since: string; status: string; statusSince: string | null }[] | string;
  merged_into_id: string | null;
  merged_into_name: string | null;
  merged_from?: { id: string; externalId: string; name: string | null }[] | string;
}

/**
 * One page in one statement: the ids (candidatesPageQuery), each row with its current stages (newest
 * first) and, for a record merged away, the survivor it was merged into. Through Prisma this was
 * three to four queries and a few ms of client CPU per page (README, Performance: scale bench).
 */
export async function listCandidates(db: { sql: Sql }, options: ListCandidatesOptions) {
  const all = await readCandidateRows(db.sql, candidatesPageQuery(options));
  // A row gone between the page's two reads cannot happen any more (one statement, one snapshot).
  return { rows: all.slice(0, options.limit), hasMore: all.length > options.limit };
}

/**
 * One candidate as the list shows it, plus the records merged into it (`mergedFrom`, Greenhouse's
 * merge_candidate names the survivor by provider id): one statement, as every timeline page needs it.
 */
export async function getCandidate(sql: Sql, id: string) {
  const [row] = await readCandidateRows(sql, { text: `SELECT c.id FROM candidates c WHERE c.id = $1`, params: [id] }, { mergedFrom: true });
  return row ?? null;
}

async function readCandidateRows(sql: Sql, page: SqlQuery, options: { mergedFrom?: boolean } = {}) {
  const rows = await sql.query<CandidateRow>({
    text: `WITH page AS MATERIALIZED (${page.text})
           SELECT c.id, c.provider, c.external_id, c.name, c.email, c.current_stage, c.current_job, c.event_count,
                  c.first_seen_at, c.last_event_at, c.deleted_at, c.merged_into_external_id, c.status, c.is_test,
                  coalesce((SELECT json_agg(json_build_object('jobKey', s.job_key, 'jobTitle', s.job_title, 'stage', s.stage, 'since', s.since,
                                                              'status', s.status, 'statusSince', s.status_since) ORDER BY s.since DESC, s.job_key)
                            FROM candidate_stages s WHERE s.candidate_id = c.id), '[]') AS stages,
                  t.id AS merged_into_id, t.name AS merged_into_name
                  ${
                    options.mergedFrom
                      ? `, coalesce((SELECT json_agg(json_build_object('id', m.id, 'externalId', m.external_id, 'name', m.name) ORDER BY m.first_seen_at, m.id)
                                     FROM candidates m WHERE m.provider = c.provider AND m.merged_into_external_id = c.external_id), '[]') AS merged_from`
                      : ""
                  }
           FROM page JOIN candidates c ON c.id = page.id
           LEFT JOIN LATERAL (SELECT x.id, x.name FROM candidates x
                              WHERE c.merged_into_external_id IS NOT NULL AND x.provider = c.provider AND x.external_id = c.merged_into_external_id
                              LIMIT 1) t ON true
           ORDER BY c.last_event_at DESC, c.id DESC`,
    params: page.params,
  });
  return rows.map((r) => {
    const stages = jsonList<Exclude<CandidateRow["stages"], string>[number]>(r.stages);
    return {
      id: r.id,
      provider: r.provider,
      externalId: r.external_id,
      name: r.name,
      email: r.email,
      currentStage: r.current_stage,
      currentJob: r.current_job,
      eventCount: Number(r.event_count),
      firstSeenAt: toDate(r.first_seen_at),
      lastEventAt: toDate(r.last_event_at),
      deletedAt: r.deleted_at === null ? null : toDate(r.deleted_at),
      mergedIntoExternalId: r.merged_into_external_id,
      status: r.status,
      isTest: r.is_test,
      stages: stages.map((st) => ({ ...st, since: new Date(st.since), statusSince: st.statusSince === null ? null : new Date(st.statusSince) })),
      mergedIntoTarget: r.merged_into_external_id === null ? null : { id: r.merged_into_id, name: r.merged_into_name },
      mergedFrom: options.mergedFrom ? jsonList<{ id: string; externalId: string; name: string | null }>(r.merged_from) : [],
    };
  });
}



