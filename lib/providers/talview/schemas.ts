import { z } from "zod";

// Every field from the doc's "Payload Type Showcase" is declared so the doc example reports no drift,
// but almost everything is nullish: tenants differ and Talview may trim fields without notice.
// Only the candidate id is required, because without it there is nothing to attach history to.

export const talviewIdSchema = z.union([z.number(), z.string()]);
export type TalviewId = z.infer<typeof talviewIdSchema>;

const candidateIdRequired = "candidate id is required (a number or non-empty string)";
const id = talviewIdSchema.nullish();
const text = z.string().nullish();
const num = z.number().nullish();
const bool = z.boolean().nullish();
/** JSONB columns whose shape varies per tenant (cf, meta, location, evidence_snippet). */
const jsonb = z.record(z.string(), z.unknown()).nullish();

const audit = {
  created_at: text,
  created_by: id,
  updated_at: text,
  updated_by: id,
};

export const talviewAttachmentSchema = z.looseObject({
  id,
  file_id: id,
  file_type_id: id,
  education_id: id,
  experience_id: id,
  external_id: text,
  ...audit,
});
export type TalviewAttachment = z.infer<typeof talviewAttachmentSchema>;

export const talviewContactSchema = z.looseObject({
  id,
  phone_number: text,
  address: text,
  city: text,
  state: text,
  country: text,
  zipcode: text,
  is_current: bool,
  external_id: text,
  ...audit,
});
export type TalviewContact = z.infer<typeof talviewContactSchema>;

export const talviewCalendarSchema = z.looseObject({
  id,
  from: text,
  to: text,
  availability_status: text,
  external_id: text,
  ...audit,
});
export type TalviewCalendar = z.infer<typeof talviewCalendarSchema>;

export const talviewEducationSchema = z.looseObject({
  id,
  title: text,
  type: text,
  field_of_study: text,
  awarding_board: text,
  institute: text,
  grade: text,
  gpa_value: num,
  started_at: text,
  completed_at: text,
  is_current: bool,
  external_id: text,
  ...audit,
});
export type TalviewEducation = z.infer<typeof talviewEducationSchema>;

export const talviewExperienceSchema = z.looseObject({
  id,
  type: text,
  organization: text,
  location: text,
  designation: text,
  description: text,
  started_at: text,
  completed_at: text,
  is_current: bool,
  responsibilities: z.array(z.unknown()).nullish(),
  tools_used: z.array(z.unknown()).nullish(),
  external_id: text,
  ...audit,
});
export type TalviewExperience = z.infer<typeof talviewExperienceSchema>;

export const talviewCertificationSchema = z.looseObject({
  id,
  name: text,
  issuer: text,
  issue_date: text,
  expiry_date: text,
  external_id: text,
  ...audit,
});
export type TalviewCertification = z.infer<typeof talviewCertificationSchema>;

export const talviewPreferredLocationSchema = z.looseObject({
  id,
  location: jsonb,
  ...audit,
});
export type TalviewPreferredLocation = z.infer<typeof talviewPreferredLocationSchema>;

export const talviewTechnologySchema = z.looseObject({
  id,
  technology: text,
  ...audit,
});
export type TalviewTechnology = z.infer<typeof talviewTechnologySchema>;

export const talviewProjectSchema = z.looseObject({
  id,
  title: text,
  description: text,
  start_date: text,
  end_date: text,
  external_id: text,
  ...audit,
  technologies: z.array(talviewTechnologySchema).nullish(),
});
export type TalviewProject = z.infer<typeof talviewProjectSchema>;

export const talviewSkillProficiencySchema = z.looseObject({
  id,
  skill_id: id,
  proficiency: text,
  proficiency_label: text,
  last_used: text,
  evidence_snippet: jsonb,
  ...audit,
});
export type TalviewSkillProficiency = z.infer<typeof talviewSkillProficiencySchema>;

export const talviewSocialMediaLinkSchema = z.looseObject({
  id,
  social_media: text,
  link: text,
  ...audit,
});
export type TalviewSocialMediaLink = z.infer<typeof talviewSocialMediaLinkSchema>;

export const talviewCandidateSchema = z.looseObject({
  id: z.union([z.number(), z.string().min(1, { error: candidateIdRequired })], { error: candidateIdRequired }),
  first_name: text,
  middle_name: text,
  last_name: text,
  email: text,
  phone_number: text,
  country: text,
  user_id: id,
  external_id: text,
  old_id: id,
  resume_file_id: id,
  profile_pic_file_id: id,
  cf: jsonb,
  meta: jsonb,
  is_active: bool,
  is_tnc_accepted: bool,
  is_recording_consent_accepted: bool,
  thread_id: id,
  notice_period: text,
  work_authorization: text,
  expected_salary: text,
  total_years_experience: num,
  avg_tenure_months: num,
  ...audit,
  attachments: z.array(talviewAttachmentSchema).nullish(),
  contacts: z.array(talviewContactSchema).nullish(),
  calendars: z.array(talviewCalendarSchema).nullish(),
  education: z.array(talviewEducationSchema).nullish(),
  experiences: z.array(talviewExperienceSchema).nullish(),
  certifications: z.array(talviewCertificationSchema).nullish(),
  preferred_locations: z.array(talviewPreferredLocationSchema).nullish(),
  projects: z.array(talviewProjectSchema).nullish(),
  skill_proficiencies: z.array(talviewSkillProficiencySchema).nullish(),
  social_media_links: z.array(talviewSocialMediaLinkSchema).nullish(),
});
export type TalviewCandidate = z.infer<typeof talviewCandidateSchema>;

/**
 * The concepts doc's `{ old, new }` shape for objects without a history table. The previous
 * state is informational only, so it does not need an id to be accepted.
 */
export const talviewVersionedSnapshotSchema = z.looseObject({
  old: talviewCandidateSchema.partial({ id: true }).nullish(),
  new: talviewCandidateSchema,
});
export type TalviewVersionedSnapshot = z.infer<typeof talviewVersionedSnapshotSchema>;
