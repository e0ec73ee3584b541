import { contentDisposition } from "../csv/stream";
import { getDeliveryBody } from "../db/delivery-body";
import type { AdminContext } from "../http/admin-route";
import { notFound } from "../http/errors";

function fileExtension(contentType: string | null): string {
  const type = (contentType ?? "").toLowerCase();
  if (type.includes("json")) return "json";
  if (type.startsWith("text/") || type.includes("x-www-form-urlencoded")) return "txt";
  return "bin";
}

/** The stored content type when it is a printable header value, else the generic one. */
function printableContentType(contentType: string | null): string {
  return contentType && /^[\x20-\x7e]+$/.test(contentType) ? contentType : "application/octet-stream";
}

/**
 * GET /api/deliveries/{id}/body: the exact bytes as received, with their stored content type. The
 * content type is the sender's, so it may say text/html: the answer is an attachment the browser
 * never sniffs or renders, and a sandbox CSP covers a browser that would open it anyway.
 */
export async function handleGetDeliveryBody({ prisma, params }: AdminContext<{ id: string }>) {
  const delivery = await getDeliveryBody(prisma, params.id);
  if (!delivery) throw notFound("delivery", params.id);
  const bytes = Buffer.from(delivery.body);
  return new Response(bytes, {
    status: 200,
    headers: {
      "content-type": printableContentType(delivery.contentType),
      "content-length": String(bytes.length),
      "content-disposition": contentDisposition(`delivery-${delivery.id}.${fileExtension(delivery.contentType)}`),
      "x-content-type-options": "nosniff",
      "content-security-policy": "sandbox; default-src 'none'",
      "cache-control": "private, no-store",
    },
  });
}
