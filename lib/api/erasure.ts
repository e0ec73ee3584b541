import { getDb } from "../db/client";
import { eraseCandidates, listErasures } from "../erasure/erase";
import type { AdminContext } from "../http/admin-route";
import { readJson, readQuery } from "../http/admin-route";
import { decodeCursor, encodeCursor } from "../http/cursor";
import { HttpError, notFound } from "../http/errors";
import { eraseCandidateSchema, listErasuresQuerySchema } from "../contracts/requests";

/**
 * POST /api/candidates/{id}/erase {confirm}: `confirm` must be the candidate's provider id, so an
 * erasure is never one click on the wrong row. The route is not audited by adminRoute (its body
 * would put the provider id in the append-only log): eraseCandidates writes its own entry.
 */
export async function handleEraseCandidate({ request, prisma, params, principal }: AdminContext<{ id: string }>) {
  const { confirm } = await readJson(request, eraseCandidateSchema);
  const candidate = await prisma.candidate.findUnique({ where: { id: params.id }, select: { id: true, externalId: true } });
  if (!candidate) throw notFound("candidate", params.id);
  if (confirm.trim() !== candidate.externalId) {
    throw new HttpError(400, "confirmation_mismatch", "`confirm` must be the candidate's provider id, exactly as the candidate page shows it");
  }
  const db = getDb();
  const result = await eraseCandidates(db, [candidate.id], { actor: principal.actor, via: "api" });
  // Erased by a concurrent request between the read and the lock.
  if (!result) throw notFound("candidate", params.id);
  return { id: result.id, at: result.at.toISOString(), actor: principal.actor, counts: result.counts };
}

/**
 * POST /api/people/{id}/erase {confirm}: every record of the person (and the records merged into
 * them) in one erasure; `confirm` is the person's id, as the person page's address shows it. The
 * person goes with its last record (its memberships cascade).
 */
export async function handleErasePerson({ request, prisma, params, principal }: AdminContext<{ id: string }>) {
  const { confirm } = await readJson(request, eraseCandidateSchema);
  const person = await prisma.person.findUnique({ where: { id: params.id }, select: { id: true, members: { select: { candidateId: true } } } });
  if (!person) throw notFound("person", params.id);
  if (confirm.trim() !== person.id) {
    throw new HttpError(400, "confirmation_mismatch", "`confirm` must be the person's id, exactly as the person page's address shows it");
  }
  const result = await eraseCandidates(getDb(), person.members.map((m) => m.candidateId), { actor: principal.actor, via: "people" });
  if (!result) throw notFound("person", params.id);
  return { id: result.id, at: result.at.toISOString(), actor: principal.actor, counts: result.counts };
}

/** GET /api/erasures: the erasure records, newest first. */
export async function handleListErasures({ sql, url }: AdminContext<unknown>) {
  const query = readQuery(url, listErasuresQuerySchema);
  const cursor = query.cursor ? decodeCursor(query.cursor, ["date", "string"]) : null;
  const rows = await listErasures(sql, { limit: query.limit + 1, before: cursor ? { at: cursor[0] as Date, id: cursor[1] as string } : undefined });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    erasures: page.map((r) => ({ id: r.id, at: new Date(r.at).toISOString(), actor: r.actor, counts: r.counts })),
    nextCursor: rows.length > query.limit && last ? encodeCursor([new Date(last.at), last.id]) : null,
  };
}
