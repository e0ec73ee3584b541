import { encryptSecret, secretHint } from "../auth/secret-box";
import {
  deleteEndpoint,
  getEndpoint,
  getEndpointActivity,
  listEndpoints,
  rotateEndpointSecret,
  updateEndpoint,
} from "../db/endpoints";
import type { PrismaClient } from "../db/generated/client";
import { assertSecretFits, createEndpointWithSecret } from "../endpoints/create-endpoint";
import type { AdminContext } from "../http/admin-route";
import { readJson } from "../http/admin-route";
import { HttpError, notFound } from "../http/errors";
import { jsonResponse } from "../http/json";
import { publicOrigin } from "../http/origin";
import { getProvider } from "../providers/registry";
import { createEndpointSchema, rotateSecretSchema, updateEndpointSchema } from "./schemas";

type EndpointRow = NonNullable<Awaited<ReturnType<typeof getEndpoint>>>;

export function webhookUrl(request: Request, endpointId: string): string {
  return `${publicOrigin(request)}/api/webhooks/${endpointId}`;
}

async function present(prisma: PrismaClient, rows: EndpointRow[], request: Request) {
  const activity = await getEndpointActivity(prisma, rows.map((r) => r.id));
  return rows.map((row) => {
    const provider = getProvider(row.provider);
    const url = webhookUrl(request, row.id);
    const previousActive = row.previousValidUntil !== null && row.previousValidUntil.getTime() > Date.now();
    return {
      ...row,
      previousValidUntil: previousActive ? row.previousValidUntil : null,
      url,
      signs: provider?.signs ?? false,
      setup: provider ? { ...provider.setup, urls: provider.setup.eventUrls?.(url) ?? null } : null,
      activity: activity.get(row.id)!,
    };
  });
}

export async function handleCreateEndpoint({ request, prisma }: AdminContext<unknown>) {
  const input = await readJson(request, createEndpointSchema);
  const { row, secret } = await createEndpointWithSecret(prisma, input);
  const [view] = await present(prisma, [row], request);
  // The only time the secret leaves the server: the user pastes it into the provider's admin now.
  return jsonResponse(201, { ...view, secret });
}

export async function handleListEndpoints({ request, prisma }: AdminContext<unknown>) {
  return { endpoints: await present(prisma, await listEndpoints(prisma), request) };
}

export async function handleGetEndpoint({ request, prisma, params }: AdminContext<{ id: string }>) {
  const row = await getEndpoint(prisma, params.id);
  if (!row) throw notFound("endpoint", params.id);
  return (await present(prisma, [row], request))[0];
}

export async function handleUpdateEndpoint({ request, prisma, params }: AdminContext<{ id: string }>) {
  const changes = await readJson(request, updateEndpointSchema);
  const row = await updateEndpoint(prisma, params.id, changes);
  if (!row) throw notFound("endpoint", params.id);
  return (await present(prisma, [row], request))[0];
}

export async function handleDeleteEndpoint({ prisma, params }: AdminContext<{ id: string }>) {
  if (!(await deleteEndpoint(prisma, params.id))) throw notFound("endpoint", params.id);
  return { deleted: true, id: params.id, message: "endpoint deleted; deliveries and events received through it are kept" };
}

/**
 * Issues a new secret; the old one keeps verifying deliveries for the overlap window so the
 * provider's settings can be updated without losing a delivery in between.
 */
export async function handleRotateSecret({ request, prisma, params }: AdminContext<{ id: string }>) {
  const input = await readJson(request, rotateSecretSchema);
  const row = await getEndpoint(prisma, params.id);
  if (!row) throw notFound("endpoint", params.id);
  const provider = getProvider(row.provider)!;
  if (!provider.signs) {
    throw new HttpError(400, "secret_not_used", `${provider.displayName} does not sign deliveries; to replace its credential, create a new endpoint (a new URL) and delete this one.`);
  }
  const secret = input.secret ?? provider.generateSecret()!;
  assertSecretFits(provider.id, secret);
  const now = new Date();
  const previousValidUntil = new Date(now.getTime() + input.overlapHours * 3600_000);
  await rotateEndpointSecret(prisma, row.id, { secret: encryptSecret(secret, row.id), secretHint: secretHint(secret), previousValidUntil, rotatedAt: now });
  return { secret, previousValidUntil };
}
