import { randomBytes } from "node:crypto";
import { z } from "zod";
import { newApiTokenSecret } from "../auth/api-tokens";
import { can, permissionSchema, type Principal } from "../auth/roles";
import { readSession, SESSION_COOKIE, readCookie } from "../auth/session";
import { deleteSession, listLiveSessions } from "../db/sessions";
import type { AdminContext } from "../http/admin-route";
import { readJson } from "../http/admin-route";
import { HttpError, notFound } from "../http/errors";
import { jsonResponse } from "../http/json";
import { createTokenSchema } from "../contracts/requests";

/** Whose tokens and sessions a principal may see and end: their own; the owner's role, everyone's. */
function ownerFilter(principal: Principal): { userId?: string | null } {
  return can(principal, "admin") ? {} : { userId: principal.userId };
}

/** POST /api/tokens: a personal token, shown once; it cannot carry a scope its maker lacks. */
export async function handleCreateToken({ request, prisma, principal }: AdminContext<object>) {
  const input = await readJson(request, createTokenSchema);
  const beyond = input.scopes.filter((s) => !can(principal, s));
  if (beyond.length > 0) throw new HttpError(403, "forbidden", `you cannot grant scopes you do not have: ${beyond.join(", ")}`, { scopes: beyond });
  const { token, tokenHash } = newApiTokenSecret();
  const id = `tok_${randomBytes(9).toString("base64url")}`;
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  await prisma.apiToken.create({ data: { id, userId: principal.userId, name: input.name, tokenHash, scopes: input.scopes, expiresAt } });
  return jsonResponse(201, { id, token, name: input.name, scopes: input.scopes, expiresAt });
}

/** GET /api/tokens: names, scopes and times; never the token. */
export async function handleListTokens({ prisma, principal }: AdminContext<object>) {
  const tokens = await prisma.apiToken.findMany({
    where: ownerFilter(principal),
    select: { id: true, userId: true, name: true, scopes: true, createdAt: true, expiresAt: true, lastUsedAt: true },
    orderBy: { createdAt: "desc" },
  });
  return { tokens };
}

/** DELETE /api/tokens/{id}: the token stops working on the next request, on every instance. */
export async function handleDeleteToken({ prisma, principal, params }: AdminContext<{ id: string }>) {
  const { count } = await prisma.apiToken.deleteMany({ where: { id: params.id, ...ownerFilter(principal) } });
  if (count === 0) throw notFound("token", params.id);
  return { revoked: params.id };
}

/** GET /api/sessions: live sessions (own; everyone's for the owner), the caller's marked `current`. */
export async function handleListSessions({ sql, request, principal }: AdminContext<object>) {
  const current = await readSession(sql, readCookie(request.headers.get("cookie"), SESSION_COOKIE));
  const rows = await listLiveSessions(sql, new Date(), ownerFilter(principal).userId);
  return { sessions: rows.map((r) => ({ ...r, current: r.id === current?.id })) };
}

/** DELETE /api/sessions/{id}: the row goes, so the session ends at once on every instance. */
export async function handleDeleteSession({ sql, principal, params }: AdminContext<{ id: string }>) {
  const visible = await listLiveSessions(sql, new Date(), ownerFilter(principal).userId);
  if (!visible.some((s) => s.id === params.id)) throw notFound("session", params.id);
  await deleteSession(sql, params.id);
  return { revoked: params.id };
}
