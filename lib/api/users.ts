import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { roleSchema } from "../auth/roles";
import { deleteUserSessions } from "../db/sessions";
import type { AdminContext } from "../http/admin-route";
import { readJson } from "../http/admin-route";
import { HttpError, notFound } from "../http/errors";
import { jsonResponse } from "../http/json";
import { publicOrigin } from "../http/origin";
import { createUserSchema, updateUserSchema } from "../contracts/requests";

export const INVITE_TTL_DAYS = 7;

export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function newInvite(request: Request, now = new Date()) {
  const inviteToken = `inv_${randomBytes(32).toString("base64url")}`;
  return {
    inviteToken,
    inviteUrl: `${publicOrigin(request)}/invite?token=${inviteToken}`,
    data: { inviteTokenHash: hashInviteToken(inviteToken), inviteExpiresAt: new Date(now.getTime() + INVITE_TTL_DAYS * 86_400_000) },
  };
}

const userView = { id: true, email: true, name: true, role: true, canExport: true, createdAt: true, lastSignInAt: true, passwordHash: true, inviteExpiresAt: true } as const;

/** GET /api/users (owner): everyone on the team, invited or active. Hashes never leave the server. */
export async function handleListUsers({ prisma }: AdminContext<object>) {
  const rows = await prisma.user.findMany({ select: userView, orderBy: { createdAt: "asc" } });
  return {
    users: rows.map(({ passwordHash: _hash, inviteExpiresAt, ...user }) => ({
      ...user,
      // Accepting an invitation (password or SSO) signs the user in.
      status: user.lastSignInAt === null ? "invited" : "active",
      inviteExpiresAt,
    })),
  };
}

/** POST /api/users (owner): an invitation; the link is shown to copy (no mail server needed). */
export async function handleCreateUser({ request, prisma }: AdminContext<object>) {
  const input = await readJson(request, createUserSchema);
  if (await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
    throw new HttpError(409, "user_exists", `${input.email} is already on the team; re-invite them from the Team page instead`);
  }
  const invite = newInvite(request);
  const id = `usr_${randomBytes(12).toString("base64url")}`;
  await prisma.user.create({ data: { id, ...input, ...invite.data } });
  return jsonResponse(201, { id, inviteUrl: invite.inviteUrl, inviteToken: invite.inviteToken });
}

/** PATCH /api/users/{id} (owner): role, export permission or name; takes effect on the next request. */
export async function handleUpdateUser({ request, prisma, params }: AdminContext<{ id: string }>) {
  const input = await readJson(request, updateUserSchema);
  const found = await prisma.user.findUnique({ where: { id: params.id }, select: { id: true } });
  if (!found) throw notFound("user", params.id);
  const user = await prisma.user.update({ where: { id: params.id }, data: input, select: { id: true, email: true, name: true, role: true, canExport: true } });
  return { user };
}

/** DELETE /api/users/{id} (owner): the user, their sessions and their API tokens end at once. */
export async function handleDeleteUser({ prisma, sql, params }: AdminContext<{ id: string }>) {
  const found = await prisma.user.findUnique({ where: { id: params.id }, select: { id: true } });
  if (!found) throw notFound("user", params.id);
  await prisma.apiToken.deleteMany({ where: { userId: params.id } });
  await prisma.user.delete({ where: { id: params.id } });
  const sessions = await deleteUserSessions(sql, params.id);
  return { removed: params.id, sessionsEnded: sessions };
}

/** POST /api/users/{id}/invite (owner): a fresh link (the old one stops working), e.g. after it expired. */
export async function handleReinviteUser({ request, prisma, params }: AdminContext<{ id: string }>) {
  const found = await prisma.user.findUnique({ where: { id: params.id }, select: { id: true } });
  if (!found) throw notFound("user", params.id);
  const invite = newInvite(request);
  await prisma.user.update({ where: { id: params.id }, data: invite.data });
  return { id: params.id, inviteUrl: invite.inviteUrl, inviteToken: invite.inviteToken };
}
