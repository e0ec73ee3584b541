import { createHash } from "node:crypto";
import type { Db } from "../db/client";
import { storeDelivery } from "../db/deliveries";
import { getEndpointForIngestCached, recordRejectedAttempt, urlExpired, type IngestEndpoint } from "../db/endpoints";
import { newId } from "../ids";
import { isConnectionError } from "../db/connection-errors";
import { errorMessage, logEvent } from "../log";
import { validSecrets } from "../auth/secret-box";
import { getProvider } from "../providers/registry";
import type { IncomingDelivery } from "../providers/types";
import { classifyContentType } from "./decode-body";
import { markProcessingFailed, processingFailure } from "./process-delivery";
import type { ProcessingOutcome } from "./outcome";
import { ingestQueueFor, type IncomingStored } from "./ingest-queue";
import { processStaleOriginal } from "./recover-unprocessed";

export const MAX_BODY_BYTES = 1024 * 1024;

export interface ReceiveDeliveryOptions {
  db: Pick<Db, "prisma" | "sql" | "kind">;
  endpointId: string;
  /** Already looked up by the caller (the webhook route does, before reading the body). */
  endpoint?: IngestEndpoint;
  method: string;
  /** The request URL's query string, without the leading `?`. */
  query: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The client's address (the socket's, or X-Forwarded-For's first untrusted hop behind TRUSTED_PROXIES). */
  source?: string;
  body: Buffer;
  receivedAt?: Date;
  /** `stored`: answer once the raw delivery is committed, without waiting for processing (WEBHOOK_ANSWER). */
  answerWhen?: "processed" | "stored";
}

export interface IngestResponse {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Credentials a sender may add as custom headers (Talview allows any); kept out of storage. */
const REDACTED_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "x-api-key", "api-key"]);

/** Headers as stored (deliveries and the refused-request log alike): credentials replaced by `[redacted]`. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, REDACTED_HEADERS.has(k) ? "[redacted]" : v]));
}

/**
 * A webhook URL's token is shown (answers, the refused-request log) only by its first characters:
 * enough to tell which URL was used, not a copy of one.
 */
export function maskedEndpointToken(token: string): string {
  return token.length > 8 ? `${token.slice(0, 8)}…` : token;
}

/** The 404 answer's message for a URL no endpoint has; the token is masked, never echoed whole. */
export function unknownEndpointMessage(token: string): string {
  return `no endpoint has the URL /api/webhooks/${maskedEndpointToken(token)}; copy the webhook URL again from Settings`;
}

function reject(status: number, error: string, message: string, extra: Record<string, unknown> = {}): IngestResponse {
  return { status, body: { error, message, ...extra } };
}

/**
 * verify → store raw → normalize → store events. The raw delivery is committed before anything
 * is parsed, so a parse or mapping failure never loses it; a 2xx is only sent once it is stored.
 * The answer says how processing went when it finished within PROCESSING_WAIT_MS (it nearly always
 * does); otherwise, or with `answerWhen: "stored"`, it is `received` and processing completes after
 * the answer.
 */
export async function receiveDelivery(options: ReceiveDeliveryOptions): Promise<IngestResponse> {
  const { db, body } = options;
  const { prisma, sql } = db;
  const receivedAt = options.receivedAt ?? new Date();
  if (body.length > MAX_BODY_BYTES) {
    return reject(413, "payload_too_large", `body is ${body.length} bytes; the limit is ${MAX_BODY_BYTES} bytes (1 MiB)`);
  }

  let endpoint: IngestEndpoint | null;
  try {
    endpoint = options.endpoint ?? (await getEndpointForIngestCached(sql, options.endpointId));
  } catch (error) {
    return storageUnavailable(error, options.endpointId);
  }
  if (!endpoint || urlExpired(endpoint, receivedAt.getTime())) {
    return reject(404, "endpoint_not_found", unknownEndpointMessage(options.endpointId));
  }
  if (endpoint.deleted) {
    return reject(410, "endpoint_deleted", `endpoint "${endpoint.id}" was deleted; create a new endpoint in Settings and give its URL to the sender`);
  }
  if (!endpoint.enabled) {
    return reject(410, "endpoint_disabled", `endpoint "${endpoint.id}" is disabled; enable it in Settings to receive deliveries again`);
  }
  const provider = getProvider(endpoint.provider);
  if (!provider) return reject(500, "provider_unknown", `endpoint uses provider "${endpoint.provider}", which this version does not know`);

  const method = options.method.toUpperCase();
  const incoming: IncomingDelivery = {
    method,
    headers: options.headers,
    query: new URLSearchParams(options.query),
    body,
    contentType: options.headers["content-type"] ?? null,
    receivedAt,
  };

  // Counted on the endpoint and kept, headers redacted, in the bounded log of refused requests.
  const rejection = (status: number, error: string, message: string, extra: Record<string, unknown> = {}) =>
    recordRejectedAttempt(prisma, { id: newId("rej"), endpointId: endpoint.id, status, reason: message, at: receivedAt }, {
      provider: endpoint.provider,
      error,
      method,
      contentType: incoming.contentType,
      source: options.source ?? null,
      headers: redactHeaders(options.headers),
      body,
    })
      .catch((e) => logEvent("warn", "could not count a rejected attempt", { endpointId: endpoint.id, error: errorMessage(e) }))
      .then(() => ({ ...reject(status, error, message, extra) }));

  if (!provider.methods.includes(method)) {
    const response = await rejection(405, "method_not_allowed", `${provider.displayName} delivers with ${provider.methods.join(", ")}; got ${method}`);
    return { ...response, headers: { Allow: provider.methods.join(", ") } };
  }
  const contentType = classifyContentType(incoming.contentType, provider);
  if (!contentType.ok) return rejection(415, "unsupported_content_type", contentType.reason);

  let secrets: string[];
  try {
    secrets = validSecrets(endpoint, receivedAt);
  } catch (error) {
    logEvent("error", "endpoint secret cannot be decrypted: is SECRET_KEY the one it was encrypted with?", { endpointId: endpoint.id });
    return reject(500, "secret_unreadable", "the endpoint's secret cannot be decrypted on this server (SECRET_KEY mismatch); see the server log");
  }
  const verified = provider.verify(incoming, secrets);
  if (!verified.ok) return rejection(401, "signature_invalid", verified.reason, { header: verified.header });

  const bodySha256 = createHash("sha256").update(body).digest("hex");
  const providerKey = provider.idempotencyKey(incoming);
  const stored: IncomingStored = {
    id: newId("dlv"),
    endpointId: endpoint.id,
    provider: provider.id,
    receivedAt,
    method,
    query: options.query,
    headers: redactHeaders(options.headers),
    contentType: incoming.contentType,
    body,
    bodySha256,
    // A provider's delivery id is a header anyone can make long; the key is an index entry.
    idempotencyKey: providerKey ? boundedKey(providerKey.key) : `sha256:${bodySha256}`,
    idempotencySource: providerKey?.source ?? "body sha256",
  };

  let answer: { duplicateOf: string | null; processing?: Promise<ProcessingOutcome> };
  try {
    // Stored (and processed) with whatever else arrives meanwhile; a full queue means the database
    // is behind: store this one alone and leave its processing to the recovery sweep.
    const queued = ingestQueueFor(sql, db.kind).submit(stored);
    answer = queued ? await queued : await storeDelivery(sql, stored);
  } catch (error) {
    return storageUnavailable(error, endpoint.id);
  }
  if (answer.duplicateOf) {
    // A retry of a delivery stored but never processed (its process died): processed now, and the
    // provider gets the outcome instead of `duplicate` for something nothing has processed yet.
    const recovered = await processStaleOriginal(db, answer.duplicateOf).catch((error: unknown) => {
      logEvent("warn", "redelivery: could not process the stored original", { deliveryId: answer.duplicateOf, error: errorMessage(error) });
      return null;
    });
    if (recovered) {
      const response = answerFor(answer.duplicateOf, recovered);
      return { ...response, body: { ...response.body, redeliveryId: stored.id } };
    }
    return { status: 200, body: { duplicate: true, status: "duplicate", deliveryId: stored.id, duplicateOf: answer.duplicateOf } };
  }
  const later = { status: 202, body: { status: "received", deliveryId: stored.id, message: "stored; processing will complete shortly" } };
  const pending = answer.processing;
  if (!pending) return later;
  if (options.answerWhen === "stored") {
    pending.catch((error) => afterProcessingError(prisma, stored.id, error));
    return later;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const outcome = await Promise.race([
      pending,
      new Promise<null>((resolve) => {
        timer = setTimeout(resolve, PROCESSING_WAIT_MS, null);
      }),
    ]);
    if (outcome === null) {
      pending.catch((error) => afterProcessingError(prisma, stored.id, error));
      return later;
    }
    return answerFor(stored.id, outcome);
  } catch (error) {
    if (await afterProcessingError(prisma, stored.id, error)) {
      return { status: 202, body: { status: "failed", deliveryId: stored.id, error: processingFailure(error) } };
    }
    return { status: 202, body: { status: "received", deliveryId: stored.id, message: "stored; processing will be retried" } };
  } finally {
    clearTimeout(timer);
  }
}

/** The answer for a delivery whose processing finished. */
function answerFor(deliveryId: string, outcome: ProcessingOutcome): IngestResponse {
  if (outcome.status === "failed") {
    // Stored and reprocessable: acknowledged so the provider does not retry a payload that will fail again.
    return { status: 202, body: { status: "failed", deliveryId, error: outcome.error } };
  }
  if (outcome.status === "ignored") return { status: 200, body: { status: "ignored", deliveryId, reason: outcome.error } };
  return {
    status: 200,
    body: { status: "processed", deliveryId, eventType: outcome.eventType, events: outcome.events.map((e) => ({ id: e.id, type: e.type })) },
  };
}

/** How long a webhook answer waits for processing before it says `received` instead. */
const PROCESSING_WAIT_MS = 5_000;

/**
 * The raw delivery is committed. A lost connection is retried by the recovery sweep; anything else
 * would fail again, so it is recorded as the delivery's failure instead (true when recorded).
 */
async function afterProcessingError(prisma: Db["prisma"], deliveryId: string, error: unknown): Promise<boolean> {
  logEvent("error", "delivery stored but not processed", { deliveryId, error: errorMessage(error) });
  return !isConnectionError(error) && (await markProcessingFailed(prisma, deliveryId, error));
}

/**
 * The key as stored: over 200 characters, or not text PostgreSQL can hold (U+0000, a lone
 * surrogate: a body-borne id such as Ashby's webhookActionId or Lever's token can carry them),
 * its hash stands in, so the delivery is stored instead of the insert failing as a 503.
 */
function boundedKey(key: string): string {
  return key.length <= 200 && !key.includes("\u0000") && key.isWellFormed() ? key : `sha256-of-id:${createHash("sha256").update(key).digest("hex")}`;
}

function storageUnavailable(error: unknown, endpointId: string): IngestResponse {
  logEvent("error", "webhook storage unavailable", { endpointId, error: errorMessage(error) });
  const busy = /timeout exceeded when trying to connect/i.test(errorMessage(error));
  return {
    status: 503,
    body: {
      error: "storage_unavailable",
      message: busy
        ? "the database did not answer in time (the server is overloaded or the database unreachable); nothing was stored, retry later"
        : "the database is unavailable; nothing was stored, retry later",
    },
    headers: { "Retry-After": "5" },
  };
}
