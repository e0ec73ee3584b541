import { z } from "zod";
import { dismissSuggestion, getPerson, getPersonSources, linkToPerson, listPeople, listSuggestions, unlinkFromPerson, type MoveResult } from "../db/people";
import { readJson, readQuery, type AdminContext } from "../http/admin-route";
import { decodeCursor, encodeCursor } from "../http/cursor";
import { HttpError, notFound } from "../http/errors";
import { candidateRefSchema, listPeopleQuerySchema, type ListPeopleQuery } from "../contracts/people";
import { loadStageNames } from "../db/stage-names";
import { nameTimelineEvents } from "./stage-names";
import { timelineQuerySchema } from "../contracts/requests";
import { getTimelineEvents } from "./timeline";

/* People (issue 17): the handlers of /api/people/** (their contracts: lib/contracts/people.ts). */

type PersonRow = NonNullable<Awaited<ReturnType<typeof getPerson>>>;
type ListRow = Awaited<ReturnType<typeof listPeople>>["rows"][number];

/** The wire shape of a person: emails as stored (one per normalized email), merged records named by their survivor. */
function summary(row: ListRow | PersonRow) {
  const byExternal = new Map(row.members.map((m) => [`${m.candidate.provider}:${m.candidate.externalId}`, m.candidate.id]));
  const emails = new Map<string, string>();
  for (const m of row.members) {
    const email = m.candidate.email?.trim();
    if (email && !emails.has(email.toLowerCase())) emails.set(email.toLowerCase(), email);
  }
  return {
    id: row.id,
    name: row.name,
    emails: [...emails.values()],
    status: row.status,
    lastEventAt: row.lastEventAt,
    candidates: row.members.map((m) => {
      const c = m.candidate;
      return {
        id: c.id,
        provider: c.provider,
        externalId: c.externalId,
        name: c.name,
        email: c.email,
        status: c.status,
        lastEventAt: c.lastEventAt,
        deletedAt: c.deletedAt,
        mergedInto: c.mergedIntoExternalId
          ? { externalId: c.mergedIntoExternalId, id: byExternal.get(`${c.provider}:${c.mergedIntoExternalId}`) ?? null }
          : null,
        link: { reason: m.reason, detail: m.detail, linkedBy: m.linkedBy, linkedAt: m.linkedAt },
      };
    }),
  };
}

/** One page of GET /api/people (the People view's server render reads the first one too). */
export async function getPeoplePage(db: Pick<AdminContext<unknown>, "prisma" | "sql">, query: ListPeopleQuery) {
  const cursor = query.cursor ? decodeCursor(query.cursor, ["date", "string"]) : null;
  const page = await listPeople(db, { ...query, cursor: cursor ? { lastEventAt: cursor[0] as Date, id: cursor[1] as string } : undefined });
  const last = page.rows.at(-1);
  return { people: page.rows.map(summary), nextCursor: page.hasMore && last ? encodeCursor([last.lastEventAt, last.id]) : null };
}

export async function handleListPeople({ prisma, sql, url }: AdminContext<unknown>) {
  return getPeoplePage({ prisma, sql }, readQuery(url, listPeopleQuerySchema));
}

export async function getPersonView({ prisma, sql }: Pick<AdminContext<unknown>, "prisma" | "sql">, id: string) {
  const [row, nameStage] = await Promise.all([getPerson(prisma, id), loadStageNames(sql)]);
  if (!row) return null;
  const phones = [...new Set(row.members.flatMap((m) => m.candidate.phones.map((p) => p.phone)))].sort();
  // A current stage has no endpoint: the provider's stage names apply, as on the candidate page.
  const applications = row.members
    .flatMap((m) => m.candidate.stages.map((s) => ({ candidateId: m.candidate.id, provider: m.candidate.provider, ...s, stage: nameStage(s.stage, { provider: m.candidate.provider }) ?? s.stage })))
    .sort((a, b) => b.since.getTime() - a.since.getTime());
  return { ...summary(row), phones, createdAt: row.createdAt, applications };
}

export async function handleGetPerson({ prisma, sql, params }: AdminContext<{ id: string }>) {
  const view = await getPersonView({ prisma, sql }, params.id);
  if (!view) throw notFound("person", params.id);
  return view;
}

/**
 * Every record's events in one timeline, newest first by event time, each with its provider and
 * record; the records' merged candidates' events too (shown under their survivor), each event once.
 * Diffs stay per record.
 */
export async function getPersonTimeline(db: Pick<AdminContext<unknown>, "prisma" | "sql">, id: string, query: z.infer<typeof timelineQuerySchema>) {
  const row = await getPersonSources(db.sql, id);
  if (!row) return null;
  const sources = new Map<string, { id: string; provider: string }>();
  const merged = new Map<string, { id: string; externalId: string; name: string | null }>();
  for (const m of row.members) sources.set(m.id, { id: m.id, provider: m.provider });
  for (const source of row.merged) {
    merged.set(source.id, { id: source.id, externalId: source.externalId, name: source.name });
    if (!sources.has(source.id)) sources.set(source.id, { id: source.id, provider: source.provider });
  }
  const [page, nameStage] = await Promise.all([getTimelineEvents(db, [...sources.values()], merged, query), loadStageNames(db.sql)]);
  return { person: { id: row.id, name: row.name }, ...page, events: nameTimelineEvents(page.events, nameStage) };
}

export async function handlePersonTimeline({ prisma, sql, params, url }: AdminContext<{ id: string }>) {
  const timeline = await getPersonTimeline({ prisma, sql }, params.id, readQuery(url, timelineQuerySchema));
  if (!timeline) throw notFound("person", params.id);
  return timeline;
}

function moved(result: MoveResult, candidateId: string, personId: string) {
  if (result.ok) return { personId: result.personId, candidateId, previousPersonId: result.from };
  switch (result.reason) {
    case "no_person":
      throw notFound("person", personId);
    case "no_candidate":
      throw notFound("candidate", candidateId);
    case "not_member":
      throw new HttpError(409, "not_a_record_of_this_person", `candidate "${candidateId}" is not one of this person's records`);
    case "only_record":
      throw new HttpError(409, "only_record", "this is the person's only record: there is nothing to split it from");
  }
}

export async function handleLinkPerson({ sql, params, request, principal }: AdminContext<{ id: string }>) {
  const { candidateId } = await readJson(request, candidateRefSchema);
  const result = await linkToPerson(sql, { personId: params.id, candidateId, reason: "manual", detail: null, actor: principal.actor });
  return moved(result, candidateId, params.id);
}

export async function handleUnlinkPerson({ sql, params, request, principal }: AdminContext<{ id: string }>) {
  const { candidateId } = await readJson(request, candidateRefSchema);
  return moved(await unlinkFromPerson(sql, { personId: params.id, candidateId, actor: principal.actor }), candidateId, params.id);
}

export async function getSuggestions(sql: AdminContext<unknown>["sql"], personId: string) {
  const rows = await listSuggestions(sql, personId);
  return {
    suggestions: rows.map((r) => ({
      candidate: { id: r.candidate_id, provider: r.provider, externalId: r.external_id, name: r.name, email: r.email, status: r.status, personId: r.person_id },
      reasons: r.rules,
    })),
  };
}

export async function handleListSuggestions({ prisma, sql, params }: AdminContext<{ id: string }>) {
  if (!(await prisma.person.findUnique({ where: { id: params.id }, select: { id: true } }))) throw notFound("person", params.id);
  return getSuggestions(sql, params.id);
}

/** Accepting links the record with reason `suggestion` and the rules that suggested it; only a current suggestion can be accepted. */
export async function handleAcceptSuggestion({ sql, params, request, principal }: AdminContext<{ id: string }>) {
  const { candidateId } = await readJson(request, candidateRefSchema);
  const suggestion = (await listSuggestions(sql, params.id, 1_000)).find((s) => s.candidate_id === candidateId);
  if (!suggestion) throw new HttpError(409, "not_suggested", `candidate "${candidateId}" is not a current suggestion for this person`);
  const detail = suggestion.rules.map((r) => `${r.rule}: ${r.detail}`).join("; ");
  const result = await linkToPerson(sql, { personId: params.id, candidateId, reason: "suggestion", detail, actor: principal.actor });
  return moved(result, candidateId, params.id);
}

export async function handleDismissSuggestion({ prisma, sql, params, request, principal }: AdminContext<{ id: string }>) {
  const { candidateId } = await readJson(request, candidateRefSchema);
  if (!(await prisma.person.findUnique({ where: { id: params.id }, select: { id: true } }))) throw notFound("person", params.id);
  if (!(await prisma.candidate.findUnique({ where: { id: candidateId }, select: { id: true } }))) throw notFound("candidate", candidateId);
  await dismissSuggestion(sql, { personId: params.id, candidateId, actor: principal.actor });
  return { personId: params.id, candidateId, dismissed: true };
}
