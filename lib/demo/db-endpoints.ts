import type { PrismaClient } from "../db/generated/client";
import { createEndpointWithSecret } from "../endpoints/create-endpoint";
import type { CreateDemoEndpoint } from "./run-demo";

/**
 * Demo endpoints made in-process with the same code as POST /api/endpoints (createEndpointWithSecret):
 * an `ep_` id, a generated secret only for providers that sign, stored encrypted.
 */
export function dbEndpointCreator(prisma: PrismaClient): CreateDemoEndpoint {
  return async (provider, name) => {
    const { row, secret } = await createEndpointWithSecret(prisma, { provider, name });
    return { id: row.id, secret };
  };
}
