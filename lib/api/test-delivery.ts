import { randomUUID } from "node:crypto";
import { decryptSecret } from "../auth/secret-box";
import { getEndpointForIngest } from "../db/endpoints";
import { getDeliveryCandidate } from "../db/deliveries";
import type { AdminContext } from "../http/admin-route";
import { HttpError, notFound } from "../http/errors";
import { getProvider } from "../providers/registry";
import { signRequest } from "../providers/sign-request";
import { buildHistories } from "../simulator/build-histories";

/**
 * Where the server reaches its own webhook route. Loopback by default: the public URL may sit
 * behind a proxy the server cannot call back through.
 */
function selfOrigin(): string {
  return process.env.TEST_DELIVERY_ORIGIN ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
}

/** Sends a correctly signed sample event of the endpoint's provider through the real webhook URL. */
export async function handleTestDelivery({ prisma, sql, params }: AdminContext<{ id: string }>) {
  const endpoint = await getEndpointForIngest(sql, params.id);
  if (!endpoint) throw notFound("endpoint", params.id);
  const provider = getProvider(endpoint.provider)!;
  const [history] = buildHistories({ provider: provider.id, candidates: 1, seed: randomUUID(), startAt: new Date(Date.now() - 60_000) });
  const sample = history.deliveries[0];
  const secret = endpoint.secret ? decryptSecret(endpoint.secret, endpoint.id) : null;
  const { body, headers } = signRequest(provider, sample.body, secret, { deliveryId: `test_${randomUUID()}`, now: new Date() });
  const query = sample.query ? `?${new URLSearchParams(sample.query)}` : "";
  let response: Response;
  try {
    response = await fetch(`${selfOrigin()}/api/webhooks/${endpoint.id}${query}`, {
      method: sample.method,
      headers: { ...headers, "content-type": sample.contentType },
      body: new Uint8Array(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new HttpError(502, "test_delivery_unreachable", `could not reach this server's webhook route at ${selfOrigin()}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const answer = (await response.json().catch(() => null)) as { deliveryId?: string; status?: string; error?: string; message?: string } | null;
  const candidate = answer?.deliveryId ? await getDeliveryCandidate(prisma, answer.deliveryId) : null;
  return {
    httpStatus: response.status,
    deliveryId: answer?.deliveryId ?? null,
    deliveryStatus: answer?.status ?? null,
    message: answer?.error ?? answer?.message ?? null,
    providerEvent: sample.expected.providerEvent,
    candidateId: candidate?.candidateId ?? null,
  };
}
