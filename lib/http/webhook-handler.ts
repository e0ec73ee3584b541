import { getDb } from "../db/client";
import { MAX_BODY_BYTES, receiveDelivery } from "../ingest/receive-delivery";
import { jsonResponse } from "./json";
import { readBodyWithLimit } from "./read-body";

/** The webhook route's whole job: adapt the HTTP request to the framework-free ingest. */
export async function handleWebhook(request: Request, endpointId: string): Promise<Response> {
  const read = await readBodyWithLimit(request, MAX_BODY_BYTES);
  if (!read.ok) {
    return jsonResponse(413, {
      error: "payload_too_large",
      message: `body is at least ${read.size} bytes; the limit is ${MAX_BODY_BYTES} bytes (1 MiB)`,
    });
  }
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  const result = await receiveDelivery({
    db: getDb(),
    endpointId,
    method: request.method,
    query: url.search.replace(/^\?/, ""),
    headers,
    body: read.body,
  });
  return jsonResponse(result.status, result.body, result.headers);
}
