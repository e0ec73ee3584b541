import { randomUUID } from "node:crypto";
import { decryptSecret } from "../auth/secret-box";
import { getCurrentUrlToken, getEndpointForIngest } from "../db/endpoints";
import { getDeliveryCandidate } from "../db/deliveries";
import { deleteTestData, markTestDelivery, registerTestCandidate } from "../db/test-data";
import { newId } from "../ids";
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

/**
 * A sample history's first delivery, dated now (to the second, as providers write times): the
 * simulator starts a candidate somewhere in the week after `startAt`, in whole seconds, so the same
 * seed is built twice, the second time moved back by that offset.
 */
function buildSampleNow(providerId: Parameters<typeof buildHistories>[0]["provider"], now: Date) {
  const seed = randomUUID();
  const second = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const [probe] = buildHistories({ provider: providerId, candidates: 1, seed, startAt: second });
  const offset = probe.deliveries[0].occurredAt.getTime() - second.getTime();
  const [history] = buildHistories({ provider: providerId, candidates: 1, seed, startAt: new Date(second.getTime() - offset) });
  return { history, sample: history.deliveries[0] };
}

/**
 * Sends a correctly signed sample event of the endpoint's provider through the real webhook URL,
 * dated now. Its candidate is registered as test data first, so it stays out of lists, the overview
 * and exports (unless includeTest=1) and "Delete test data" removes it.
 */
export async function handleTestDelivery({ prisma, sql, params }: AdminContext<{ id: string }>) {
  // Through the current URL: the one the provider is told to use (after a rotation, not the id).
  const token = await getCurrentUrlToken(sql, params.id);
  const endpoint = token ? await getEndpointForIngest(sql, token) : null;
  if (!token || !endpoint) throw notFound("endpoint", params.id);
  const provider = getProvider(endpoint.provider)!;
  const now = new Date();
  const { history, sample } = buildSampleNow(provider.id, now);
  await registerTestCandidate(sql, { id: newId("cand"), provider: provider.id, externalId: history.candidateId, at: sample.occurredAt });
  const secret = endpoint.secret ? decryptSecret(endpoint.secret, endpoint.id) : null;
  const { body, headers } = signRequest(provider, sample.body, secret, { deliveryId: `test_${randomUUID()}`, now: new Date() });
  const query = sample.query ? `?${new URLSearchParams(sample.query)}` : "";
  let response: Response;
  try {
    response = await fetch(`${selfOrigin()}/api/webhooks/${token}${query}`, {
      method: sample.method,
      headers: { ...headers, "content-type": sample.contentType },
      body: new Uint8Array(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new HttpError(502, "test_delivery_unreachable", `could not reach this server's webhook route at ${selfOrigin()}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const answer = (await response.json().catch(() => null)) as { deliveryId?: string; status?: string; error?: string; message?: string } | null;
  if (answer?.deliveryId) await markTestDelivery(prisma, answer.deliveryId);
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

/** DELETE /api/test-data: removes what "Send test delivery" created. */
export async function handleDeleteTestData({ sql }: AdminContext<unknown>) {
  return { deleted: await deleteTestData(sql) };
}
