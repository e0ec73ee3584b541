import { encryptSecret, isEncrypted, secretHint } from "../auth/secret-box";
import type { PrismaClient } from "../db/generated/client";
import { listEndpointSecrets, updateEndpointSecrets } from "../db/endpoints";

/** Endpoints created before secrets were encrypted at rest get their secrets encrypted; idempotent. */
export async function encryptLegacySecrets(prisma: PrismaClient): Promise<number> {
  let changed = 0;
  for (const e of await listEndpointSecrets(prisma)) {
    const legacy = (e.secret && !isEncrypted(e.secret)) || (e.previousSecret && !isEncrypted(e.previousSecret));
    if (!legacy) continue;
    await updateEndpointSecrets(prisma, e.id, {
      secret: e.secret && !isEncrypted(e.secret) ? encryptSecret(e.secret, e.id) : e.secret,
      previousSecret: e.previousSecret && !isEncrypted(e.previousSecret) ? encryptSecret(e.previousSecret, e.id) : e.previousSecret,
      ...(e.secret && !isEncrypted(e.secret) ? { secretHint: secretHint(e.secret) } : {}),
    });
    changed++;
  }
  return changed;
}
