import { candidateConditionsSql } from "./candidate-filters";
import type { Prisma, PrismaClient } from "./generated/client";
import type { CandidateStatus } from "../history/status";
import { newId } from "../ids";
import type { Sql, SqlParam } from "./sql";
import { jsonList, toDate } from "./sql-values";

/** A person's records as lists and the person page show them. */
const memberSelect = {
  reason: true,
  detail: true,
  linkedBy: true,
  linkedAt: true,
  candidate: {
    select: {
      id: true,
      provider: true,
      externalId: true,
      name: true,
      email: true,
      status: true,
      lastEventAt: true,
      deletedAt: true,
      mergedIntoExternalId: true,
      isTest: true,
    },
  },
} as const;

export interface ListPeopleOptions {
  /** A record's name or email contains it (any case), or it is a record's provider id (as the candidate list's q). */
  q?: string;
  status?: CandidateStatus;
  includeTest?: boolean;
  limit: number;
  cursor?: { lastEventAt: Date; id: string };
}

interface PersonListRow {
  id: string;
  name: string | null;
  status: string;
  last_event_at: Date | string;
  members: unknown;
}

interface MemberJson {
  reason: string;
  detail: string | null;
  linkedBy: string | null;
  linkedAt: string;
  candidate: {
    id: string;
    provider: string;
    externalId: string;
    name: string | null;
    email: string | null;
    status: string;
    lastEventAt: string;
    deletedAt: string | null;
    mergedIntoExternalId: string | null;
    isTest: boolean;
  };
}

/**
 * Newest activity first, in one plain-SQL statement: the page's ids (the people index (status,
 * last_event_at, id) serves the order, the status filter and a row-value cursor; `q` is the
 * candidate list's search, served by its trigram index), then each person's records (memberSelect's
 * fields, oldest link first) aggregated beside it. It was the ids, then Prisma's three queries for
 * the people, their memberships and the records: at 1,000,000 candidates ~14 ms of a 1.4 ms answer.
 */
export async function listPeople(db: { sql: Sql }, options: ListPeopleOptions) {
  const params: SqlParam[] = [];
  const param = (value: SqlParam) => {
    params.push(value);
    return `$${params.length}`;
  };
  const and: string[] = [];
  if (options.q) {
    const matching = candidateConditionsSql({ q: options.q }, param).join(" AND ");
    and.push(`p.id IN (SELECT pm.person_id FROM person_members pm JOIN candidates c ON c.id = pm.candidate_id WHERE ${matching})`);
  }
  if (options.status) and.push(`p.status = ${param(options.status)}`);
  if (!options.includeTest) and.push(`NOT p.is_test`);
  if (options.cursor) {
    and.push(`(p.last_event_at, p.id) < (${param(options.cursor.lastEventAt.toISOString())}::timestamptz, ${param(options.cursor.id)})`);
  }
  const rows = await db.sql.query<PersonListRow>({
    text: `WITH page AS MATERIALIZED (
             SELECT p.id FROM people p ${and.length > 0 ? `WHERE ${and.join(" AND ")}` : ""}
             ORDER BY p.last_event_at DESC, p.id DESC LIMIT ${Math.max(1, Math.floor(options.limit)) + 1})
           SELECT p.id, p.name, p.status, p.last_event_at,
             (SELECT json_agg(json_build_object('reason', m.reason, 'detail', m.detail, 'linkedBy', m.linked_by, 'linkedAt', m.linked_at,
                       'candidate', json_build_object('id', c.id, 'provider', c.provider, 'externalId', c.external_id, 'name', c.name,
                         'email', c.email, 'status', c.status, 'lastEventAt', c.last_event_at, 'deletedAt', c.deleted_at,
                         'mergedIntoExternalId', c.merged_into_external_id, 'isTest', c.is_test))
                     ORDER BY m.linked_at, m.candidate_id)
              FROM person_members m JOIN candidates c ON c.id = m.candidate_id WHERE m.person_id = p.id) AS members
           FROM page JOIN people p ON p.id = page.id
           ORDER BY p.last_event_at DESC, p.id DESC`,
    params,
  });
  return {
    rows: rows.slice(0, options.limit).map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      lastEventAt: toDate(r.last_event_at),
      members: jsonList<MemberJson>(r.members).map((m) => ({
        reason: m.reason,
        detail: m.detail,
        linkedBy: m.linkedBy,
        linkedAt: toDate(m.linkedAt),
        candidate: {
          ...m.candidate,
          lastEventAt: toDate(m.candidate.lastEventAt),
          deletedAt: m.candidate.deletedAt === null ? null : toDate(m.candidate.deletedAt),
        },
      })),
    })),
    hasMore: rows.length > options.limit,
  };
}

export function getPerson(prisma: PrismaClient, id: string) {
  return prisma.person.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      status: true,
      lastEventAt: true,
      createdAt: true,
      members: {
        select: {
          ...memberSelect,
          candidate: {
            select: {
              ...memberSelect.candidate.select,
              phones: { select: { phone: true }, orderBy: { phone: "asc" } },
              stages: {
                select: { jobKey: true, jobTitle: true, stage: true, since: true, status: true, statusSince: true },
                orderBy: { since: "desc" },
                take: 50,
              },
            },
          },
        },
        orderBy: { linkedAt: "asc" },
      },
    },
  });
}

/**
 * What a person's timeline reads (one statement): the person, its records (in the order they were
 * linked) and the records merged into any of them (oldest first, as a candidate's own read lists
 * them), each with its provider. Replaces the person's full read and one query per record.
 */
export async function getPersonSources(sql: Sql, id: string) {
  const [row] = await sql.query<{ id: string; name: string | null; members: unknown; merged: unknown }>({
    name: "person_sources",
    text: `SELECT p.id, p.name,
             (SELECT json_agg(json_build_object('id', c.id, 'provider', c.provider, 'externalId', c.external_id) ORDER BY m.linked_at, c.id)
              FROM person_members m JOIN candidates c ON c.id = m.candidate_id WHERE m.person_id = p.id) AS members,
             (SELECT json_agg(json_build_object('id', x.id, 'provider', x.provider, 'externalId', x.external_id, 'name', x.name) ORDER BY m.linked_at, c.id, x.first_seen_at, x.id)
              FROM person_members m JOIN candidates c ON c.id = m.candidate_id
              JOIN candidates x ON x.provider = c.provider AND x.merged_into_external_id = c.external_id
              WHERE m.person_id = p.id) AS merged
           FROM people p WHERE p.id = $1`,
    params: [id],
  });
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    members: jsonList<{ id: string; provider: string; externalId: string }>(row.members),
    merged: jsonList<{ id: string; provider: string; externalId: string; name: string | null }>(row.merged),
  };
}

/** The person a record belongs to (null: none yet, or no such record). */
export async function personOfCandidate(prisma: PrismaClient, candidateId: string): Promise<string | null> {
  const member = await prisma.personMember.findUnique({ where: { candidateId }, select: { personId: true } });
  return member?.personId ?? null;
}

export type MoveResult = { ok: true; personId: string; from: string | null } | { ok: false; reason: "no_person" | "no_candidate" | "not_member" | "only_record" };

/**
 * Moves a record into `personId` by hand (`manual`) or by an accepted suggestion, with who did it.
 * Its old person keeps its other records (and is removed when none is left). A split from this
 * person, if any, is lifted: linking by hand is the newer decision.
 */
export async function linkToPerson(
  sql: Sql,
  input: { personId: string; candidateId: string; reason: "manual" | "suggestion"; detail: string | null; actor: string },
): Promise<MoveResult> {
  return sql.transaction(async (tx) => {
    const person = await tx.query({ text: "SELECT id FROM people WHERE id = $1 FOR UPDATE", params: [input.personId] });
    if (person.length === 0) return { ok: false, reason: "no_person" };
    const candidate = await tx.query<{ id: string; person_id: string | null }>({
      text: "SELECT c.id, m.person_id FROM candidates c LEFT JOIN person_members m ON m.candidate_id = c.id WHERE c.id = $1 FOR UPDATE OF c",
      params: [input.candidateId],
    });
    if (candidate.length === 0) return { ok: false, reason: "no_candidate" };
    const from = candidate[0].person_id;
    await tx.query({
      text: `INSERT INTO person_members (candidate_id, person_id, reason, detail, linked_by, linked_at)
             VALUES ($1, $2, $3, $4, $5, now())
             ON CONFLICT (candidate_id) DO UPDATE SET person_id = EXCLUDED.person_id, reason = EXCLUDED.reason,
               detail = EXCLUDED.detail, linked_by = EXCLUDED.linked_by, linked_at = EXCLUDED.linked_at`,
      params: [input.candidateId, input.personId, input.reason, input.detail, input.actor],
    });
    await tx.query({ text: "DELETE FROM person_splits WHERE candidate_id = $1 AND person_id = $2", params: [input.candidateId, input.personId] });
    await tx.query({ text: "SELECT refresh_people($1::text[])", params: [toArray([input.personId, from])] });
    return { ok: true, personId: input.personId, from };
  });
}

/**
 * Takes a record out of its person by hand: it becomes a person of its own (`manual`), and a split
 * is recorded so that automatic linking never puts it back (README "People").
 */
export async function unlinkFromPerson(sql: Sql, input: { personId: string; candidateId: string; actor: string }): Promise<MoveResult> {
  return sql.transaction(async (tx) => {
    const person = await tx.query({ text: "SELECT id FROM people WHERE id = $1 FOR UPDATE", params: [input.personId] });
    if (person.length === 0) return { ok: false, reason: "no_person" };
    const members = await tx.query<{ candidate_id: string }>({
      text: "SELECT candidate_id FROM person_members WHERE person_id = $1 ORDER BY candidate_id FOR UPDATE",
      params: [input.personId],
    });
    if (!members.some((m) => m.candidate_id === input.candidateId)) return { ok: false, reason: "not_member" };
    if (members.length === 1) return { ok: false, reason: "only_record" };
    const own = newId("per");
    await tx.query({ text: "INSERT INTO people (id, last_event_at) VALUES ($1, now())", params: [own] });
    await tx.query({
      text: `UPDATE person_members SET person_id = $2, reason = 'manual', detail = $3, linked_by = $4, linked_at = now(), email_key = NULL
             WHERE candidate_id = $1`,
      params: [input.candidateId, own, `unlinked from ${input.personId}`, input.actor],
    });
    await tx.query({
      text: `INSERT INTO person_splits (candidate_id, person_id, by, at) VALUES ($1, $2, $3, now())
             ON CONFLICT (candidate_id, person_id) DO UPDATE SET by = EXCLUDED.by, at = EXCLUDED.at`,
      params: [input.candidateId, input.personId, input.actor],
    });
    await tx.query({ text: "SELECT refresh_people($1::text[])", params: [toArray([input.personId, own])] });
    return { ok: true, personId: own, from: input.personId };
  });
}

export interface SuggestionRow {
  candidate_id: string;
  provider: string;
  external_id: string;
  name: string | null;
  email: string | null;
  status: string;
  person_id: string;
  rules: { rule: "phone" | "name_and_job"; detail: string }[];
}

/**
 * Records of other people that may be this person: a phone number in common (E.164), or the exact
 * name (normalize_name) and a job title in common (any event of the records). Dismissed pairs and records split from this
 * person are left out. Computed when asked (index lookups on the person's few records), so ingest
 * pays nothing for it.
 */
export async function listSuggestions(sql: Sql, personId: string, limit = 50): Promise<SuggestionRow[]> {
  return sql.query<SuggestionRow>({
    text: `
      WITH mine AS (
        SELECT c.id, normalize_name(c.name) AS name_key FROM person_members m JOIN candidates c ON c.id = m.candidate_id WHERE m.person_id = $1
      ), matches AS (
        SELECT other.candidate_id, 'phone' AS rule, other.phone AS detail
        FROM candidate_phones own JOIN candidate_phones other ON other.phone = own.phone
        WHERE own.candidate_id IN (SELECT id FROM mine)
        UNION
        (SELECT DISTINCT ON (c.id) c.id, 'name_and_job', e.job_title
        FROM mine JOIN candidates c ON normalize_name(c.name) = mine.name_key
        JOIN events e ON e.candidate_id = c.id AND e.job_title IS NOT NULL
        WHERE mine.name_key IS NOT NULL
          AND lower(e.job_title) IN (SELECT lower(me.job_title) FROM events me WHERE me.candidate_id IN (SELECT id FROM mine) AND me.job_title IS NOT NULL)
        ORDER BY c.id, e.job_title)
      )
      SELECT c.id AS candidate_id, c.provider, c.external_id, c.name, c.email, c.status, m.person_id,
        jsonb_agg(DISTINCT jsonb_build_object('rule', x.rule, 'detail', x.detail)) AS rules
      FROM matches x
      JOIN candidates c ON c.id = x.candidate_id
      JOIN person_members m ON m.candidate_id = c.id
      WHERE m.person_id <> $1 AND NOT c.is_test
        AND NOT EXISTS (SELECT 1 FROM person_suggestion_dismissals d WHERE d.person_id = $1 AND d.candidate_id = c.id)
        AND NOT EXISTS (SELECT 1 FROM person_splits s WHERE s.person_id = $1 AND s.candidate_id = c.id)
      GROUP BY c.id, c.provider, c.external_id, c.name, c.email, c.status, m.person_id
      ORDER BY c.id
      LIMIT $2`,
    params: [personId, limit],
  });
}

export async function dismissSuggestion(sql: Sql, input: { personId: string; candidateId: string; actor: string }): Promise<void> {
  await sql.query({
    text: `INSERT INTO person_suggestion_dismissals (person_id, candidate_id, by, at) VALUES ($1, $2, $3, now())
           ON CONFLICT (person_id, candidate_id) DO NOTHING`,
    params: [input.personId, input.candidateId, input.actor],
  });
}

/** A text[] literal for a parameter (ids hold no quotes, commas or braces, but quote them anyway). */
function toArray(ids: (string | null)[]): string {
  return `{${ids.filter((id): id is string => id !== null).map((id) => `"${id.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
}
