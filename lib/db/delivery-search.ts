import type { PrismaClient } from "./generated/client";
import { providerIds } from "../providers/types";

/** More matches than a page of the log can use; a candidate with more deliveries lists its newest ones. */
const MAX_MATCHES = 5_000;

/**
 * The deliveries `q` names: by delivery id, by idempotency key (the provider's delivery id), or
 * by the provider's candidate id. Each lookup uses an index (the key by endpoint, the candidate by
 * provider), so a search costs the same on a log of millions.
 */
export async function findDeliveryIdsMatching(prisma: PrismaClient, q: string): Promise<string[]> {
  const endpointIds = (await prisma.endpoint.findMany({ select: { id: true } })).map((e) => e.id);
  const [byId, byKey, candidates] = await Promise.all([
    prisma.delivery.findUnique({ where: { id: q }, select: { id: true } }),
    prisma.idempotencyKey.findMany({ where: { endpointId: { in: endpointIds }, key: q }, select: { deliveryId: true } }),
    prisma.candidate.findMany({ where: { provider: { in: [...providerIds] }, externalId: q }, select: { id: true } }),
  ]);
  const byCandidate =
    candidates.length === 0
      ? []
      : await prisma.event.findMany({
          where: { candidateId: { in: candidates.map((c) => c.id) } },
          orderBy: [{ occurredAt: "desc" }],
          select: { deliveryId: true },
          take: MAX_MATCHES,
        });
  return [...new Set([...(byId ? [byId.id] : []), ...byKey.map((k) => k.deliveryId), ...byCandidate.map((e) => e.deliveryId)])];
}
