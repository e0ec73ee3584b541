import type { PrismaClient } from "./generated/client";

/** A delivery's stored bytes and the content type they came with: what the body download serves. */
export function getDeliveryBody(prisma: PrismaClient, id: string) {
  return prisma.delivery.findUnique({ where: { id }, select: { id: true, contentType: true, body: true } });
}
