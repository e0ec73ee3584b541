import { z } from "zod";

// Lenient by design: the idibu article is marked work-in-progress and its field list and example
// already disagree. Only the candidate id is required.

export const idibuIdSchema = z.union([z.number(), z.string()]);
export type IdibuId = z.infer<typeof idibuIdSchema>;

const candidateIdRequired = "candidate id is required (a number or non-empty string)";
const id = idibuIdSchema.nullish();
const text = z.string().nullish();

/** The field list says status_id/status_type, the example sends id/type: both are declared. */
export const idibuVacancyStatusSchema = z.looseObject({
  id,
  status_id: id,
  type: text,
  status_type: text,
  label: text,
});
export type IdibuVacancyStatus = z.infer<typeof idibuVacancyStatusSchema>;

export const idibuVacancySchema = z.looseObject({
  id,
  reference: text,
  title: text,
  status: idibuVacancyStatusSchema.nullish(),
});
export type IdibuVacancy = z.infer<typeof idibuVacancySchema>;

export const idibuAttachmentSchema = z.looseObject({
  file_id: id,
  filename: text,
  file_link: text,
  type: text,
});
export type IdibuAttachment = z.infer<typeof idibuAttachmentSchema>;

export const idibuConsultantSchema = z.looseObject({
  id,
  profile_id: id,
  email: text,
  firstname: text,
  lastname: text,
});
export type IdibuConsultant = z.infer<typeof idibuConsultantSchema>;

/**
 * A PHP sender turns a list with gaps into a JSON object keyed by index ({"0":…,"2":…}), and a
 * form body with such indices decodes the same way, so lists also accept that shape.
 */
function phpList<T extends z.ZodType>(item: T) {
  return z.union([z.array(item), z.record(z.string(), item)]).nullish();
}

export const idibuCandidateSchema = z.looseObject({
  id: z.union([z.number(), z.string().min(1, { error: candidateIdRequired })], { error: candidateIdRequired }),
  firstname: text,
  lastname: text,
  comms_status: text,
  email: text,
  background_info: text,
  created_by: idibuConsultantSchema.nullish(),
  creation_date: text,
  // In the example but not in the field list; contents undocumented.
  videos: phpList(z.unknown()),
  source: text,
  vacancies: phpList(idibuVacancySchema),
  attachments: phpList(idibuAttachmentSchema),
});
export type IdibuCandidate = z.infer<typeof idibuCandidateSchema>;

export const idibuPayloadInformationSchema = z.looseObject({
  timestamp: text,
  webhook_event: text,
});
export type IdibuPayloadInformation = z.infer<typeof idibuPayloadInformationSchema>;

export const idibuBodySchema = z.looseObject({
  payload: idibuCandidateSchema,
  // May be missing when the X-Idibu-Event / X-IdibuV3-Event header names the event.
  "payload-information": idibuPayloadInformationSchema.nullish(),
});
export type IdibuBody = z.infer<typeof idibuBodySchema>;
