import { z } from "zod";
import { getEndpointDailyOutcomes } from "../db/endpoint-activity";
import type { AdminContext } from "../http/admin-route";
import { readQuery } from "../http/admin-route";
import { notFound } from "../http/errors";
import { endpointActivityQuerySchema } from "../contracts/requests";

/** GET /api/endpoints/{id}/activity?days=14: succeeded / failed / rejected / pending per UTC day. */
export async function handleEndpointActivity({ prisma, url, params }: AdminContext<{ id: string }>) {
  const { days } = readQuery(url, endpointActivityQuerySchema);
  const endpoint = await prisma.endpoint.findFirst({ where: { id: params.id, deletedAt: null }, select: { id: true } });
  if (!endpoint) throw notFound("endpoint", params.id);
  return { endpointId: endpoint.id, days: await getEndpointDailyOutcomes(prisma, endpoint.id, days) };
}
