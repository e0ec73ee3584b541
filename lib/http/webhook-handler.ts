import type { IncomingMessage, ServerResponse } from "node:http";
import { getDb } from "../db/client";
import { getEnv } from "../env";
import { MAX_BODY_BYTES, receiveDelivery } from "../ingest/receive-delivery";

/** What a sender may use; anything else is answered here, before the database is asked anything. */
const WEBHOOK_METHODS = ["POST", "PUT", "PATCH"];

/**
 * The webhook route's whole job: adapt Node's request to the framework-free ingest and write the
 * answer. It takes Node's own request and response (a Pages Router API route, see
 * pages/api/webhooks/[endpointId].ts) rather than a web `Request`: the body is read straight from
 * the socket stream, with no web-stream adaptation, which halves the framework's cost per delivery.
 */
export async function handleWebhook(req: IncomingMessage, res: ServerResponse, endpointId: string): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  if (!WEBHOOK_METHODS.includes(method)) {
    return answer(res, 405, { error: "method_not_allowed", message: `webhooks are delivered with ${WEBHOOK_METHODS.join(", ")}; got ${method}` }, { Allow: WEBHOOK_METHODS.join(", ") });
  }
  const read = await readBody(req, MAX_BODY_BYTES);
  if (!read.ok) {
    return answer(res, 413, { error: "payload_too_large", message: `body is at least ${read.size} bytes; the limit is ${MAX_BODY_BYTES} bytes (1 MiB)` });
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const url = req.url ?? "/";
  const queryAt = url.indexOf("?");
  const result = await receiveDelivery({
    db: getDb(),
    endpointId,
    method,
    query: queryAt === -1 ? "" : url.slice(queryAt + 1),
    headers,
    body: read.body,
    answerWhen: getEnv().WEBHOOK_ANSWER,
  });
  answer(res, result.status, result.body, result.headers);
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

type ReadBodyResult = { ok: true; body: Buffer } | { ok: false; size: number };

/**
 * Reads the body once, stopping as soon as it passes `limit`: an oversized or endless body costs
 * at most `limit` bytes of memory; the rest is read and discarded, so the sender gets its answer
 * instead of a broken pipe, and the connection stays usable.
 */
function readBody(req: IncomingMessage, limit: number): Promise<ReadBodyResult> {
  const declared = Number(req.headers["content-length"] ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, size: declared });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.off("end", onEnd);
        req.resume();
        resolve({ ok: false, size });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve({ ok: true, body: Buffer.concat(chunks, size) });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", reject);
  });
}
