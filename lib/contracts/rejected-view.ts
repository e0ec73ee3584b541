import { z } from "zod";

/** One refused request as GET /api/deliveries?status=rejected lists it (shared by the API's tests and the dashboard). */
export const rejectedRequestViewSchema = z.object({
  id: z.string(),
  status: z.literal("rejected"),
  httpStatus: z.number().int(),
  error: z.string(),
  reason: z.string(),
  advice: z.string(),
  /** Null: the URL matched no endpoint (404); listed only when the log is not filtered by endpoint. */
  endpointId: z.string().nullable(),
  provider: z.string().nullable(),
  receivedAt: z.string(),
  method: z.string(),
  contentType: z.string().nullable(),
  source: z.string().nullable(),
  size: z.number().int(),
  headers: z.record(z.string(), z.string()),
  body: z.object({ text: z.string(), bytes: z.number().int() }).nullable(),
});
export type RejectedRequestView = z.infer<typeof rejectedRequestViewSchema>;

export const rejectedListSchema = z.object({ deliveries: z.array(rejectedRequestViewSchema), nextCursor: z.string().nullable() });
