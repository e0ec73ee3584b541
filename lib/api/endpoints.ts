import { createEndpoint, deleteEndpoint, getEndpoint, listEndpoints, updateEndpoint } from "../db/endpoints";
import { newId } from "../ids";
import type { AdminContext } from "../http/admin-route";
import { readJson } from "../http/admin-route";
import { HttpError, notFound } from "../http/errors";
import { jsonResponse } from "../http/json";
import { publicOrigin } from "../http/origin";
import { getProvider } from "../providers/registry";
import { createEndpointSchema, updateEndpointSchema } from "./schemas";

type EndpointRow = NonNullable<Awaited<ReturnType<typeof getEndpoint>>>;

export function webhookUrl(request: Request, endpointId: string): string {
  return `${publicOrigin(request)}/api/webhooks/${endpointId}`;
}

function present(row: EndpointRow, request: Request) {
  const provider = getProvider(row.provider);
  const url = webhookUrl(request, row.id);
  return {
    ...row,
    url,
    signs: provider?.signs ?? false,
    setup: provider ? { ...provider.setup, urls: provider.setup.eventUrls?.(url) ?? null } : null,
  };
}

export async function handleCreateEndpoint({ request, prisma }: AdminContext<unknown>) {
  const input = await readJson(request, createEndpointSchema);
  const provider = getProvider(input.provider)!;
  if (input.secret && !provider.signs) {
    throw new HttpError(400, "secret_not_used", `${provider.displayName} does not sign deliveries; its webhook URL is the credential. Omit secret.`);
  }
  const secret = provider.signs ? (input.secret ?? provider.generateSecret()) : null;
  if (secret && provider.validateSecret) {
    const problem = provider.validateSecret(secret);
    if (problem) throw new HttpError(400, "invalid_secret", problem);
  }
  const row = await createEndpoint(prisma, { id: newId("ep"), provider: input.provider, name: input.name, secret });
  const { secret: shown, ...rest } = row;
  // The only time the secret leaves the server: the user pastes it into the provider's admin now.
  return jsonResponse(201, { ...present(rest, request), secret: shown });
}

export async function handleListEndpoints({ request, prisma }: AdminContext<unknown>) {
  const rows = await listEndpoints(prisma);
  return { endpoints: rows.map((r) => present(r, request)) };
}

export async function handleGetEndpoint({ request, prisma, params }: AdminContext<{ id: string }>) {
  const row = await getEndpoint(prisma, params.id);
  if (!row) throw notFound("endpoint", params.id);
  return present(row, request);
}

export async function handleUpdateEndpoint({ request, prisma, params }: AdminContext<{ id: string }>) {
  const changes = await readJson(request, updateEndpointSchema);
  const row = await updateEndpoint(prisma, params.id, changes);
  if (!row) throw notFound("endpoint", params.id);
  return present(row, request);
}

export async function handleDeleteEndpoint({ prisma, params }: AdminContext<{ id: string }>) {
  if (!(await deleteEndpoint(prisma, params.id))) throw notFound("endpoint", params.id);
  return { deleted: true, id: params.id, message: "endpoint deleted; deliveries and events received through it are kept" };
}
