import { encryptSecret, secretHint } from "../auth/secret-box";
import {
  deleteEndpoint,
  getEndpoint,
  getEndpointActivity,
  listEndpoints,
  rotateEndpointSecret,
  rotateEndpointUrl,
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
import { newId } from "../ids";
import { createEndpointSchema, rotateSecretSchema, rotateUrlSchema, updateEndpointSchema } from "../contracts/requests";

type EndpointRow = NonNullable<Awaited<ReturnType<typeof getEndpoint>>>;

/** The webhook URL carrying `token` (an endpoint's first token is its id; a rotated URL's is a fresh `whk_…`). */
export function webhookUrl(request: Request, token: string): string {
  return `${publicOrigin(request)}/api/webhooks/${token}`;
}

async function present(prisma: PrismaClient, rows: EndpointRow[], request: Request) {
  const activity = await getEndpointActivity(prisma, rows.map((r) => r.id));
  const now = Date.now();
  return rows.map(({ urls, ...row }) => {
    const provider = getProvider(row.provider);
    const url = webhookUrl(request, urls.find((u) => u.validUntil === null)?.token ?? row.id);
    const previousUrl = urls.find((u) => u.validUntil !== null && u.validUntil.getTime() > now) ?? null;
    const previousActive = row.previousValidUntil !== null && row.previousValidUntil.getTime() > now;
    return {
      ...row,
      previousValidUntil: previousActive ? row.previousValidUntil : null,
      url,
      previousUrl: previousUrl ? webhookUrl(request, previousUrl.token) : null,
      previousUrlValidUntil: previousUrl?.validUntil ?? null,
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

/**
 * Issues a new webhook URL for a provider that does not sign (its URL is the credential); the old
 * URL keeps receiving for the overlap window, as the old secret does after a secret rotation, so
 * the provider's settings can be updated without losing a delivery in between.
 */
export async function handleRotateUrl({ request, prisma, params }: AdminContext<{ id: string }>) {
  const input = await readJson(request, rotateUrlSchema);
  const row = await getEndpoint(prisma, params.id);
  if (!row) throw notFound("endpoint", params.id);
  const provider = getProvider(row.provider)!;
  if (provider.signs) {
    throw new HttpError(400, "url_rotation_not_needed", `${provider.displayName} signs its deliveries: the secret is the credential, not the URL; rotate the secret instead.`);
  }
  const token = newId("whk");
  const now = new Date();
  const previousValidUntil = new Date(now.getTime() + input.overlapHours * 3600_000);
  if (!(await rotateEndpointUrl(prisma, row.id, { token, previousValidUntil, rotatedAt: now }))) throw notFound("endpoint", params.id);
  return { url: webhookUrl(request, token), previousUrlValidUntil: previousValidUntil };
}
