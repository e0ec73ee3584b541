/**
 * Simulated, correctly signed deliveries with fixed delivery ids, and a bounded concurrent sender.
 * Shared by the fault tests (crash, db-outage, scale-out).
 */
import { createHash } from "node:crypto";
import { buildHistories, type CandidateHistory, type SimulatedDelivery } from "@/lib/simulator/build-histories";
import { signRequest } from "@/lib/providers/sign-request";
import { getProvider, providers } from "@/lib/providers/registry";
import type { ProviderId } from "@/lib/providers/types";

/** Every registered provider: a provider added to the registry is in every fault suite without an edit here. */
export const allProviders = Object.keys(providers) as ProviderId[];

export interface PlannedDelivery {
  /** Stable across re-sends: the provider's delivery id header (Talview has none and sends none). */
  deliveryId: string;
  provider: ProviderId;
  endpointId: string;
  secret: string | null;
  delivery: SimulatedDelivery;
  /** The idempotency key the app will derive (provider delivery id, or Talview's event+body hash). */
  idempotencyKey: string;
  /** Provider candidate id (for timelines). */
  candidateExternalId: string;
}

export interface SendResult {
  planned: PlannedDelivery;
  httpStatus: number | null;
  status: string | null;
  deliveryId: string | null;
  body: any;
  error: string | null;
  ms: number;
}

/** The key receiveDelivery derives for this delivery (same code path: provider.idempotencyKey). */
export function expectedIdempotencyKey(provider: ProviderId, delivery: SimulatedDelivery, deliveryId: string): string {
  const p = getProvider(provider)!;
  const signed = signRequest(p, delivery.body, null, { deliveryId, now: new Date() });
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const key = p.idempotencyKey({
    method: delivery.method,
    headers,
    query: new URLSearchParams(delivery.query ?? {}),
    body: signed.body,
    contentType: delivery.contentType,
    receivedAt: new Date(),
  });
  return key?.key ?? `sha256:${createHash("sha256").update(delivery.body).digest("hex")}`;
}

export function planDeliveries(
  endpoints: Record<string, { id: string; secret: string | null }>,
  options: { candidatesPerProvider: number; seed: string; providers?: ProviderId[] },
): { planned: PlannedDelivery[]; histories: Record<string, CandidateHistory[]> } {
  const planned: PlannedDelivery[] = [];
  const histories: Record<string, CandidateHistory[]> = {};
  for (const provider of options.providers ?? allProviders) {
    const hs = buildHistories({ provider, candidates: options.candidatesPerProvider, seed: options.seed });
    histories[provider] = hs;
    hs.forEach((h, ci) =>
      h.deliveries.forEach((delivery, di) => {
        const deliveryId = `${options.seed}-${provider}-${ci}-${di}`;
        planned.push({
          deliveryId,
          provider,
          endpointId: endpoints[provider].id,
          secret: endpoints[provider].secret,
          delivery,
          idempotencyKey: expectedIdempotencyKey(provider, delivery, deliveryId),
          candidateExternalId: h.candidateId,
        });
      }),
    );
  }
  return { planned, histories };
}

/** One signed POST (signed now, so Outhire's timestamp is fresh). Never throws. */
export async function sendOne(baseUrl: string, p: PlannedDelivery, timeoutMs = 15_000): Promise<SendResult> {
  const provider = getProvider(p.provider)!;
  const signed = signRequest(provider, p.delivery.body, p.secret, { deliveryId: p.deliveryId, now: new Date() });
  const headers: Record<string, string> = { "content-type": p.delivery.contentType, ...signed.headers };
  const query = p.delivery.query && Object.keys(p.delivery.query).length > 0 ? `?${new URLSearchParams(p.delivery.query)}` : "";
  const t0 = performance.now();
  try {
    const response = await fetch(`${baseUrl}/api/webhooks/${p.endpointId}${query}`, {
      method: p.delivery.method,
      headers,
      body: new Uint8Array(signed.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: any = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return {
      planned: p,
      httpStatus: response.status,
      status: typeof body?.status === "string" ? body.status : null,
      deliveryId: typeof body?.deliveryId === "string" ? body.deliveryId : null,
      body,
      error: null,
      ms: performance.now() - t0,
    };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    return { planned: p, httpStatus: null, status: null, deliveryId: null, body: null, error: `${e.name}: ${e.message} ${e.cause?.code ?? e.cause?.message ?? ""}`, ms: performance.now() - t0 };
  }
}

/**
 * Sends every planned delivery with at most `concurrency` in flight; `stop()` returning true stops
 * taking new ones (those in flight finish). Bounded by the list.
 */
export async function sendAll(
  baseUrl: string | (() => string),
  list: PlannedDelivery[],
  options: { concurrency: number; stop?: () => boolean; onResult?: (r: SendResult) => void; timeoutMs?: number },
): Promise<SendResult[]> {
  const results: SendResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < list.length && !options.stop?.()) {
      const p = list[next++];
      const r = await sendOne(typeof baseUrl === "function" ? baseUrl() : baseUrl, p, options.timeoutMs);
      results.push(r);
      options.onResult?.(r);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return results;
}

export const is2xx = (s: number | null) => s !== null && s >= 200 && s < 300;

/** A timeline with what differs between runs removed: ids, delivery ids, received times, endpoints. */
export function normalizeTimeline(value: unknown): unknown {
  const drop = new Set(["id", "deliveryId", "receivedAt", "endpointId", "nextCursor", "createdAt", "updatedAt", "lastReceivedAt", "firstReceivedAt"]);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (!drop.has(k)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value);
}
