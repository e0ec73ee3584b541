import { z } from "zod";
import { redactCredentialHeaders } from "../auth/credential-headers";
import { listRejectedRequests } from "../db/rejected-requests";
import type { AdminContext } from "../http/admin-route";
import { readQuery } from "../http/admin-route";
import { decodeCursor, encodeCursor } from "../http/cursor";
import { HttpError } from "../http/errors";
import { adviseRejection } from "./rejection-advice";
import { listRejectedQuerySchema } from "../contracts/requests";

const isoDate = z.iso.datetime({ offset: true }).transform((v) => new Date(v));

export async function handleListRejected({ prisma, url }: AdminContext<unknown>) {
  const query = readQuery(url, listRejectedQuerySchema);
  if (query.from && query.to && query.from >= query.to) throw new HttpError(400, "invalid_request", "from must be before to");
  const cursor = query.cursor ? decodeCursor(query.cursor, ["date", "string"]) : null;
  const page = await listRejectedRequests(prisma, { ...query, cursor: cursor ? { at: cursor[0] as Date, id: cursor[1] as string } : undefined });
  const last = page.rows.at(-1);
  return {
    deliveries: page.rows.map(({ at, status, body, headers, ...row }) => ({
      ...row,
      // As the delivery API shows them: every credential-like header `[redacted]` (the row keeps them).
      headers: redactCredentialHeaders(headers),
      status: "rejected" as const,
      httpStatus: status,
      receivedAt: at,
      advice: adviseRejection({ status, provider: row.provider, error: row.error }),
      // Kept only for signature and content-type refusals, and only the first few KB (`size` is the whole body).
      body: body ? { text: new TextDecoder("utf-8", { fatal: false }).decode(body), bytes: body.length } : null,
    })),
    nextCursor: page.hasMore && last ? encodeCursor([last.at, last.id]) : null,
  };
}
