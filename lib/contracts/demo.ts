import { z } from "zod";
import { providerIds } from "../providers/types";

/** Wire shape of POST /api/demo. Schema only: imported by the dashboard, so no server imports here. */
export const demoResultSchema = z.object({
  ok: z.boolean(),
  message: z.string(),
  seed: z.string(),
  startAt: z.iso.datetime({ offset: true }),
  baseUrl: z.string(),
  sent: z.number().int(),
  endpoints: z.array(z.object({ provider: z.enum(providerIds), id: z.string(), name: z.string() })),
  runs: z.array(
    z.object({
      provider: z.enum(providerIds),
      endpointId: z.string(),
      candidates: z.number().int(),
      sent: z.number().int(),
      byHttpStatus: z.record(z.string(), z.number().int()),
      byStatus: z.record(z.string(), z.number().int()),
      failures: z.array(z.object({ label: z.string(), httpStatus: z.number().int().nullable(), message: z.string() })),
    }),
  ),
});
export type DemoResult = z.infer<typeof demoResultSchema>;
