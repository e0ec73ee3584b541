import { z } from "zod";

/** Outhire documents integer ids; strings are accepted so a re-encoded body still maps. */
export const outhireIdSchema = z.union([z.number(), z.string()]);

const candidateIdSchema = z.union([z.number(), z.string().min(1)], {
  error: (issue) => (issue.input === undefined || issue.input === null ? "candidate id is missing" : "candidate id must be a number or a string"),
});

export const outhireCandidateSchema = z.looseObject({
  id: candidateIdSchema,
  public_id: z.string().nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  fit_score: z.number().nullish(),
  applied_at: z.string().nullish(),
  resume_url: z.string().nullish(),
  // Parsed resume content has no documented shape; its keys are not drift.
  resume_data: z.record(z.string(), z.unknown()).nullish(),
  url: z.string().nullish(),
});
export type OuthireCandidate = z.infer<typeof outhireCandidateSchema>;

export const outhireStageChangeSchema = z.looseObject({
  previous_stage: z.string().nullish(),
  new_stage: z.string().nullish(),
  changed_by: z.string().nullish(),
  changed_by_user_id: z.string().nullish(),
});
export type OuthireStageChange = z.infer<typeof outhireStageChangeSchema>;

export const outhireWebhookSchema = z.looseObject({
  event: z.string(),
  occurred_at: z.string().nullish(),
  candidate: outhireCandidateSchema,
  job: z.looseObject({ id: outhireIdSchema.nullish(), title: z.string().nullish() }).nullish(),
  company: z.looseObject({ id: outhireIdSchema.nullish() }).nullish(),
  stage_change: outhireStageChangeSchema.nullish(),
});
export type OuthireWebhook = z.infer<typeof outhireWebhookSchema>;

/** Just enough to route a body before the event-specific checks. */
export const outhireEnvelopeSchema = z.looseObject({
  event: z.string().nullish(),
});
export type OuthireEnvelope = z.infer<typeof outhireEnvelopeSchema>;
