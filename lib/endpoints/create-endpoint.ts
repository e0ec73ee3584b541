import { encryptSecret, secretHint } from "../auth/secret-box";
import { createEndpoint } from "../db/endpoints";
import type { PrismaClient } from "../db/generated/client";
import { HttpError } from "../http/errors";
import { newId } from "../ids";
import { getProvider } from "../providers/registry";
import type { ProviderId } from "../providers/types";

export interface CreateEndpointWithSecretOptions {
  provider: ProviderId;
  name: string;
  /** A secret the provider issued; generated when omitted (only for providers that sign). */
  secret?: string;
}

/** Creates an endpoint; its secret is stored encrypted and returned in plain this once. */
export async function createEndpointWithSecret(prisma: PrismaClient, options: CreateEndpointWithSecretOptions) {
  const provider = getProvider(options.provider)!;
  if (options.secret && !provider.signs) {
    throw new HttpError(400, "secret_not_used", `${provider.displayName} does not sign deliveries; its webhook URL is the credential. Omit secret.`);
  }
  const secret = provider.signs ? (options.secret ?? provider.generateSecret()) : null;
  if (secret) assertSecretFits(provider.id, secret);
  const id = newId("ep");
  const row = await createEndpoint(prisma, {
    id,
    provider: provider.id,
    name: options.name,
    secret: secret ? encryptSecret(secret, id) : null,
    secretHint: secret ? secretHint(secret) : null,
  });
  return { row, secret };
}

export function assertSecretFits(providerId: string, secret: string): void {
  const problem = getProvider(providerId)?.validateSecret?.(secret);
  if (problem) throw new HttpError(400, "invalid_secret", problem);
}
