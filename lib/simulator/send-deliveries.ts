import { signRequest } from "../providers/sign-request";
import { getProvider } from "../providers/registry";
import type { Provider, ProviderId } from "../providers/types";
import type { CandidateHistory, SimulatedDelivery } from "./types";

export interface SendHistoriesOptions {
  /** The dashboard's origin, e.g. http://localhost:3000 (a trailing slash is fine). */
  baseUrl: string;
  endpointId: string;
  provider: ProviderId | Provider;
  /** The endpoint's secret; null (or omitted) for providers that do not sign. */
  secret?: string | null;
  /** Per-candidate ordered deliveries (from buildHistories), or plain lists of deliveries. */
  histories: Array<CandidateHistory | SimulatedDelivery[]>;
  /** How many candidates are sent at once; each candidate's deliveries stay in order. Default 4. */
  concurrency?: number;
  /** Re-sends every Nth delivery right after it, with the same delivery id and body, to exercise idempotency. */
  redeliverEvery?: number;
  fetchImpl?: typeof fetch;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Called after every request (e.g. for a progress line); must not throw. */
  onResult?: (result: DeliveryResult) => void;
}

export interface DeliveryResult {
  label: string;
  /** The id the provider's sign() put in its delivery-id header (Greenhouse-Event-ID, webhook-id, X-Idibu-Delivery). */
  deliveryId: string;
  redelivery: boolean;
  /** HTTP status, or null when the request did not complete (connection refused, timeout). */
  httpStatus: number | null;
  /** The response body's `status` field ("processed", "duplicate", "ignored", "failed", "received"), if any. */
  status: string | null;
  /** Parsed JSON response (or its text when not JSON), or the network error message. */
  response: unknown;
  ms: number;
}

export interface SendSummary {
  /** Requests made, redeliveries included. */
  sent: number;
  redelivered: number;
  /** Counts per HTTP status; "network-error" when no response came back. */
  byHttpStatus: Record<string, number>;
  /** Counts per response `status` field; "(none)" when the response had none (error responses). */
  byStatus: Record<string, number>;
  /** Non-2xx responses and network errors, with what the server said. */
  failures: DeliveryResult[];
  /** 2xx responses whose body says the delivery was stored but could not be mapped ("failed") — worth a look. */
  processingFailures: DeliveryResult[];
  /** Redeliveries that were not reported as duplicates. */
  duplicateMisses: DeliveryResult[];
  durationMs: number;
}

/**
 * Posts simulated deliveries to `${baseUrl}/api/webhooks/${endpointId}` like the provider would:
 * its content type, method and signature headers, a fresh delivery id each time. Candidates are sent
 * in parallel up to `concurrency`, but one candidate's deliveries always go one after another.
 */
export async function sendHistories(options: SendHistoriesOptions): Promise<SendSummary> {
  const provider = typeof options.provider === "string" ? getProvider(options.provider) : options.provider;
  if (!provider) throw new Error(`unknown provider "${String(options.provider)}"`);
  const secret = options.secret ?? null;
  if (provider.signs && !secret) throw new Error(`${provider.displayName} signs its deliveries; pass the endpoint's secret`);
  const fetchImpl = options.fetchImpl ?? globalThis.fetch;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const redeliverEvery = options.redeliverEvery && options.redeliverEvery > 0 ? Math.floor(options.redeliverEvery) : 0;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const target = `${options.baseUrl.replace(/\/+$/, "")}/api/webhooks/${encodeURIComponent(options.endpointId)}`;

  const queues = options.histories.map((h) => (Array.isArray(h) ? h : h.deliveries));
  const results: DeliveryResult[] = [];
  let counter = 0;
  const started = Date.now();

  const post = async (delivery: SimulatedDelivery, deliveryId: string, redelivery: boolean): Promise<void> => {
    const signed = signRequest(provider, delivery.body, secret, { deliveryId, now: new Date() });
    const headers: Record<string, string> = { "content-type": delivery.contentType, ...signed.headers };
    const query = delivery.query && Object.keys(delivery.query).length > 0 ? `?${new URLSearchParams(delivery.query)}` : "";
    const t0 = Date.now();
    let result: DeliveryResult;
    try {
      const response = await fetchImpl(target + query, {
        method: delivery.method,
        headers,
        body: new Uint8Array(signed.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
      }
      const status = parsed !== null && typeof parsed === "object" && typeof (parsed as { status?: unknown }).status === "string" ? (parsed as { status: string }).status : null;
      result = { label: delivery.label, deliveryId, redelivery, httpStatus: response.status, status, response: parsed, ms: Date.now() - t0 };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}${causeOf(error)}` : String(error);
      result = { label: delivery.label, deliveryId, redelivery, httpStatus: null, status: null, response: message, ms: Date.now() - t0 };
    }
    results.push(result);
    options.onResult?.(result);
  };

  let next = 0;
  const worker = async () => {
    while (next < queues.length) {
      const queue = queues[next++];
      for (const delivery of queue) {
        const deliveryId = crypto.randomUUID();
        await post(delivery, deliveryId, false);
        counter++;
        // A retry of the same delivery, as a provider does after a timeout: same id, same bytes, signed anew.
        if (redeliverEvery > 0 && counter % redeliverEvery === 0) await post(delivery, deliveryId, true);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(queues.length, 1)) }, worker));

  return summarize(results, Date.now() - started);
}

export function summarize(results: DeliveryResult[], durationMs: number): SendSummary {
  const summary: SendSummary = {
    sent: results.length,
    redelivered: 0,
    byHttpStatus: {},
    byStatus: {},
    failures: [],
    processingFailures: [],
    duplicateMisses: [],
    durationMs,
  };
  for (const r of results) {
    if (r.redelivery) summary.redelivered++;
    const http = r.httpStatus === null ? "network-error" : String(r.httpStatus);
    summary.byHttpStatus[http] = (summary.byHttpStatus[http] ?? 0) + 1;
    const status = r.status ?? "(none)";
    summary.byStatus[status] = (summary.byStatus[status] ?? 0) + 1;
    const ok = r.httpStatus !== null && r.httpStatus >= 200 && r.httpStatus < 300;
    if (!ok) summary.failures.push(r);
    else if (r.status === "failed") summary.processingFailures.push(r);
    if (ok && r.redelivery && r.status !== "duplicate") summary.duplicateMisses.push(r);
  }
  return summary;
}

/** Whether every request got a 2xx answer. */
export function allSucceeded(summary: SendSummary): boolean {
  return summary.failures.length === 0;
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return ` (${cause.message})`;
  if (cause && typeof cause === "object" && "code" in cause) return ` (${String((cause as { code: unknown }).code)})`;
  return "";
}
