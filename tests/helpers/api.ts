import { POST as createEndpointRoute, GET as listEndpointsRoute } from "@/app/api/endpoints/route";
import { DELETE as deleteEndpointRoute, PATCH as patchEndpointRoute } from "@/app/api/endpoints/[id]/route";
import { GET as listCandidatesRoute } from "@/app/api/candidates/route";
import { GET as getCandidateRoute } from "@/app/api/candidates/[id]/route";
import { GET as listEventsRoute } from "@/app/api/events/route";
import { GET as listDeliveriesRoute } from "@/app/api/deliveries/route";
import { GET as getDeliveryRoute } from "@/app/api/deliveries/[id]/route";
import { POST as reprocessRoute } from "@/app/api/deliveries/[id]/reprocess/route";
import { GET as healthRoute } from "@/app/api/health/route";
import { getProvider, providers } from "@/lib/providers/registry";
import { signRequest } from "@/lib/providers/sign-request";
import type { ProviderId } from "@/lib/providers/types";
import { webhookServerUrl } from "./webhook-server";
import { getDb } from "@/lib/db/client";
import { ingestSettled } from "@/lib/ingest/ingest-queue";

export const BASE = "http://dashboard.test";
export const adminHeaders = { authorization: `Bearer ${process.env.ADMIN_TOKEN}` };

/** Calls the real route handlers with real Request objects, as Next does. */
export async function call(
  route: (req: Request, ctx: { params: Promise<never> }) => Promise<Response>,
  method: string,
  path: string,
  options: { params?: Record<string, string>; body?: BodyInit | null; headers?: Record<string, string>; auth?: boolean } = {},
) {
  const request = new Request(`${BASE}${path}`, {
    method,
    headers: { ...(options.auth === false ? {} : adminHeaders), ...(options.headers ?? {}) },
    body: options.body ?? null,
  });
  return answerOf(await route(request, { params: Promise.resolve((options.params ?? {}) as never) }));
}

/** Status, JSON body (null when the body is not JSON) and headers. */
export async function answerOf(response: Response) {
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, headers: response.headers };
}

export const routes = {
  createEndpoint: (body: unknown, auth = true) =>
    call(createEndpointRoute as never, "POST", "/api/endpoints", { body: JSON.stringify(body), headers: { "content-type": "application/json" }, auth }),
  listEndpoints: (auth = true) => call(listEndpointsRoute as never, "GET", "/api/endpoints", { auth }),
  patchEndpoint: (id: string, body: unknown) =>
    call(patchEndpointRoute as never, "PATCH", `/api/endpoints/${id}`, { params: { id }, body: JSON.stringify(body) }),
  deleteEndpoint: (id: string) => call(deleteEndpointRoute as never, "DELETE", `/api/endpoints/${id}`, { params: { id } }),
  listCandidates: (query = "") => call(listCandidatesRoute as never, "GET", `/api/candidates${query}`),
  getCandidate: (id: string) => call(getCandidateRoute as never, "GET", `/api/candidates/${id}`, { params: { id } }),
  listEvents: (query = "") => call(listEventsRoute as never, "GET", `/api/events${query}`),
  listDeliveries: (query = "") => call(listDeliveriesRoute as never, "GET", `/api/deliveries${query}`),
  getDelivery: (id: string) => call(getDeliveryRoute as never, "GET", `/api/deliveries/${id}`, { params: { id } }),
  reprocess: (id: string) => call(reprocessRoute as never, "POST", `/api/deliveries/${id}/reprocess`, { params: { id } }),
  health: () => call(healthRoute as never, "GET", "/api/health", { auth: false }),
};

/** One endpoint per registered provider, through the admin API, with its secret where the provider signs. */
export async function createProviderEndpoints(label: string): Promise<Record<ProviderId, { id: string; secret: string | null }>> {
  const endpoints = {} as Record<ProviderId, { id: string; secret: string | null }>;
  for (const provider of Object.keys(providers) as ProviderId[]) {
    const res = await routes.createEndpoint({ provider, name: `${provider} ${label}` });
    if (res.status !== 201) throw new Error(`creating the ${provider} endpoint answered ${res.status}: ${JSON.stringify(res.json)}`);
    endpoints[provider] = { id: res.json.id, secret: res.json.secret };
  }
  return endpoints;
}

export interface SendOptions {
  method?: "POST" | "PUT" | "PATCH" | "GET" | "DELETE";
  query?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
  /** Sign with this provider's scheme (default: sign when a secret is given). */
  sign?: { provider: ProviderId; secret: string | null; deliveryId?: string; now?: Date };
}

export function sendWebhook(endpointId: string, body: Buffer | string, options: SendOptions = {}) {
  const raw = typeof body === "string" ? Buffer.from(body) : body;
  const { body: bytes, headers: signed } = options.sign
    ? signRequest(getProvider(options.sign.provider)!, raw, options.sign.secret, {
        deliveryId: options.sign.deliveryId ?? crypto.randomUUID(),
        now: options.sign.now ?? new Date(),
      })
    : { body: raw, headers: {} };
  const headers: Record<string, string> = { ...signed, ...(options.headers ?? {}) };
  if (options.contentType !== null) headers["content-type"] = options.contentType ?? "application/json";
  return postWebhook(`/api/webhooks/${encodeURIComponent(endpointId)}${options.query ?? ""}`, options.method ?? "POST", headers, bytes);
}

/**
 * Over real HTTP to the webhook route (tests/helpers/webhook-server.ts), answered as `call` answers.
 * Returns once the ingest queue has also run the step after the save (analytics summaries, People),
 * which follows the answer by milliseconds: the suites then read what a user reading a moment later
 * would. (The answer itself waiting for the events only is held by ingest-batches.test.ts.)
 */
async function postWebhook(path: string, method: string, headers: Record<string, string>, body: Buffer) {
  const answer = await answerOf(
    await fetch(`${await webhookServerUrl()}${path}`, { method, headers, body: method === "GET" ? undefined : new Uint8Array(body) }),
  );
  await ingestSettled(getDb().sql);
  return answer;
}
