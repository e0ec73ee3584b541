import type { PrismaClient } from "./generated/client";

const publicEndpointSelect = {
  id: true,
  provider: true,
  name: true,
  enabled: true,
  rejectedCount: true,
  lastRejectedAt: true,
  lastRejectReason: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface CreateEndpointOptions {
  id: string;
  provider: string;
  name: string;
  secret: string | null;
}

export function createEndpoint(prisma: PrismaClient, options: CreateEndpointOptions) {
  return prisma.endpoint.create({ data: options, select: { ...publicEndpointSelect, secret: true } });
}

export function listEndpoints(prisma: PrismaClient) {
  return prisma.endpoint.findMany({
    where: { deletedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: publicEndpointSelect,
  });
}

export function getEndpoint(prisma: PrismaClient, id: string) {
  return prisma.endpoint.findFirst({ where: { id, deletedAt: null }, select: publicEndpointSelect });
}

/** What the ingest path needs: includes the secret, so it never leaves lib/ingest. */
export function getEndpointForIngest(prisma: PrismaClient, id: string) {
  return prisma.endpoint.findFirst({
    where: { id, deletedAt: null },
    select: { id: true, provider: true, secret: true, enabled: true },
  });
}

export interface UpdateEndpointOptions {
  name?: string;
  enabled?: boolean;
}

export async function updateEndpoint(prisma: PrismaClient, id: string, changes: UpdateEndpointOptions) {
  const result = await prisma.endpoint.updateMany({ where: { id, deletedAt: null }, data: changes });
  return result.count === 0 ? null : getEndpoint(prisma, id);
}

/** Soft delete: deliveries and events received through the endpoint stay and keep their link. */
export async function deleteEndpoint(prisma: PrismaClient, id: string): Promise<boolean> {
  const result = await prisma.endpoint.updateMany({
    where: { id, deletedAt: null },
    data: { deletedAt: new Date(), enabled: false },
  });
  return result.count > 0;
}

export async function recordRejectedAttempt(prisma: PrismaClient, id: string, reason: string, at: Date): Promise<void> {
  await prisma.endpoint.update({
    where: { id },
    data: { rejectedCount: { increment: 1 }, lastRejectedAt: at, lastRejectReason: reason.slice(0, 500) },
    select: { id: true },
  });
}
