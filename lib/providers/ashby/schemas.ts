import { z } from "zod";

/** Contact Info (docs copy §6.1). */
const contactInfoSchema = z.looseObject({ value: z.string().nullish(), type: z.string().nullish(), isPrimary: z.boolean().nullish() });
const userSchema = z.looseObject({
  id: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  email: z.string().nullish(),
  globalRole: z.string().nullish(),
  isEnabled: z.boolean().nullish(),
  updatedAt: z.string().nullish(),
  managerId: z.string().nullish(),
  customFields: z.array(z.unknown()).nullish(),
});
// A custom field's value is one of many documented shapes (boolean, currency, date, string, number, ranges…).
const customFieldSchema = z.looseObject({ id: z.string().nullish(), isPrivate: z.boolean().nullish(), title: z.string().nullish(), valueLabel: z.unknown().optional(), value: z.unknown().optional() });
const sourceTypeSchema = z.looseObject({ id: z.string().nullish(), title: z.string().nullish(), isArchived: z.boolean().nullish() });

/** The Application object (docs copy §6); only the candidate id is required of it. */
export const ashbyApplicationSchema = z.looseObject({
  id: z.string().nullish(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  status: z.string().nullish(),
  customFields: z.array(customFieldSchema).nullish(),
  candidate: z.looseObject({
    id: z.string({ error: "data.application.candidate.id is missing" }).min(1),
    name: z.string().nullish(),
    primaryEmailAddress: contactInfoSchema.nullish(),
    primaryPhoneNumber: contactInfoSchema.nullish(),
  }),
  currentInterviewStage: z
    .looseObject({
      id: z.string().nullish(),
      title: z.string().nullish(),
      type: z.string().nullish(),
      orderInInterviewPlan: z.number().nullish(),
      interviewStageGroupId: z.string().nullish(),
      interviewPlanId: z.string().nullish(),
    })
    .nullish(),
  source: z.looseObject({ id: z.string().nullish(), title: z.string().nullish(), isArchived: z.boolean().nullish(), sourceType: sourceTypeSchema.nullish() }).nullish(),
  archiveReason: z
    .looseObject({
      id: z.string().nullish(),
      text: z.string().nullish(),
      reasonType: z.string().nullish(),
      isArchived: z.boolean().nullish(),
      customFields: z.array(customFieldSchema).nullish(),
    })
    .nullish(),
  archivedAt: z.string().nullish(),
  job: z.looseObject({ id: z.string().nullish(), title: z.string().nullish(), locationId: z.string().nullish(), departmentId: z.string().nullish() }).nullish(),
  creditedToUser: userSchema.nullish(),
  hiringTeam: z
    .array(z.looseObject({ email: z.string().nullish(), firstName: z.string().nullish(), lastName: z.string().nullish(), role: z.string().nullish(), userId: z.string().nullish() }))
    .nullish(),
  appliedViaJobPostingId: z.string().nullish(),
  submitterClientIp: z.string().nullish(),
  submitterUserAgent: z.string().nullish(),
});
export type AshbyApplication = z.infer<typeof ashbyApplicationSchema>;

const offerVersionSchema = z.looseObject({
  id: z.string().nullish(),
  startDate: z.string().nullish(),
  salary: z.looseObject({ currencyCode: z.string().nullish(), value: z.number().nullish() }).nullish(),
  createdAt: z.string().nullish(),
  openingId: z.string().nullish(),
  customFields: z.array(z.unknown()).nullish(),
  fileHandles: z.array(z.unknown()).nullish(),
  author: userSchema.nullish(),
  approvalStatus: z.string().nullish(),
});

/** The Offer object of candidateHire (docs copy §7). */
export const ashbyOfferSchema = z.looseObject({
  id: z.string().nullish(),
  decidedAt: z.string().nullish(),
  applicationId: z.string().nullish(),
  acceptanceStatus: z.string().nullish(),
  offerStatus: z.string().nullish(),
  latestVersion: offerVersionSchema.nullish(),
  versions: z.array(offerVersionSchema).nullish(),
  formDefinition: z.record(z.string(), z.unknown()).nullish(),
});

// The merge's description promises "merged candidate data" though its schema lists only ids: name and email are read when present.
const idObject = (path: string) =>
  z.looseObject({ id: z.string({ error: `${path} is missing` }).min(1), name: z.string().nullish(), primaryEmailAddress: contactInfoSchema.nullish() });

export const ashbyApplicationWebhookSchema = z.looseObject({
  webhookActionId: z.string().nullish(),
  action: z.string(),
  data: z.looseObject({ application: ashbyApplicationSchema, offer: ashbyOfferSchema.nullish() }),
});
export const ashbyDeleteWebhookSchema = z.looseObject({
  webhookActionId: z.string().nullish(),
  action: z.string(),
  data: z.looseObject({ candidate: idObject("data.candidate.id") }),
});
export const ashbyMergeWebhookSchema = z.looseObject({
  webhookActionId: z.string().nullish(),
  action: z.string(),
  data: z.looseObject({ deletedCandidate: idObject("data.deletedCandidate.id"), mergedCandidate: idObject("data.mergedCandidate.id") }),
});
