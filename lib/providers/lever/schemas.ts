import { z } from "zod";

/** Lever's archive state as open-source receivers type it (archived time in ms, archive reason id). */
export const leverArchiveStateSchema = z.looseObject({
  archivedAt: z.number().nullish(),
  reason: z.string().nullish(),
});

/** The ids Lever's events carry (docs: the candidateStageChange example; the rest from open-source receivers). */
export const leverDataSchema = z.looseObject({
  opportunityId: z.string().nullish(),
  candidateId: z.string().nullish(),
  contactId: z.string().nullish(),
  applicationId: z.string().nullish(),
  fromStageId: z.string().nullish(),
  toStageId: z.string().nullish(),
  fromArchived: leverArchiveStateSchema.nullish(),
  toArchived: leverArchiveStateSchema.nullish(),
  deletedBy: z.string().nullish(),
  interviewId: z.string().nullish(),
});
export type LeverData = z.infer<typeof leverDataSchema>;

/** The envelope every Lever event shares (docs, "Receiving webhooks"). */
export const leverWebhookSchema = z.looseObject({
  id: z.string().nullish(),
  event: z.string(),
  triggeredAt: z.number().nullish(),
  token: z.string().nullish(),
  signature: z.string().nullish(),
  data: leverDataSchema.nullish(),
});
export type LeverWebhook = z.infer<typeof leverWebhookSchema>;
