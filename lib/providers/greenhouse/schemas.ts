import { z } from "zod";

/** Greenhouse sends ids as JSON numbers; accept strings too so a re-encoded or proxied body still maps. */
export const greenhouseIdSchema = z.union([z.number(), z.string()]);

export const greenhouseCandidateIdSchema = z.union([z.number(), z.string().min(1)], {
  error: (issue) => (issue.input === undefined || issue.input === null ? "candidate id is missing" : "candidate id must be a number or a string"),
});

const nameIdSchema = z.looseObject({ id: greenhouseIdSchema.nullish(), name: z.string().nullish() });

const userSchema = z.looseObject({
  id: greenhouseIdSchema.nullish(),
  email: z.string().nullish(),
  name: z.string().nullish(),
});

const typedValueSchema = z.looseObject({ value: z.string().nullish(), type: z.string().nullish() });

/** Custom field keys are chosen by each Greenhouse customer, so they are never drift. */
const customFieldsSchema = z.record(z.string(), z.unknown()).nullish();

const officeSchema = z.looseObject({
  id: greenhouseIdSchema.nullish(),
  name: z.string().nullish(),
  location: z.string().nullish(),
});

export const greenhouseCandidateSchema = z.looseObject({
  id: greenhouseCandidateIdSchema,
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  title: z.string().nullish(),
  company: z.string().nullish(),
  created_at: z.string().nullish(),
  // The hire example documents a bare `00000`; the ingest decodes it as the string "00000".
  external_id: z.union([z.string(), z.number()]).nullish(),
  photo_url: z.string().nullish(),
  url: z.string().nullish(),
  phone_numbers: z.array(typedValueSchema).nullish(),
  email_addresses: z.array(typedValueSchema).nullish(),
  addresses: z.array(typedValueSchema).nullish(),
  website_addresses: z.array(typedValueSchema).nullish(),
  social_media_addresses: z.array(z.looseObject({ value: z.string().nullish() })).nullish(),
  educations: z
    .array(
      z.looseObject({
        school_name: z.string().nullish(),
        degree: z.string().nullish(),
        discipline: z.string().nullish(),
        start_date: z.string().nullish(),
        end_date: z.string().nullish(),
      }),
    )
    .nullish(),
  employments: z
    .array(
      z.looseObject({
        company_name: z.string().nullish(),
        title: z.string().nullish(),
        start_date: z.string().nullish(),
        end_date: z.string().nullish(),
      }),
    )
    .nullish(),
  recruiter: userSchema.nullish(),
  coordinator: userSchema.nullish(),
  attachments: z
    .array(z.looseObject({ filename: z.string().nullish(), url: z.string().nullish(), type: z.string().nullish() }))
    .nullish(),
  tags: z.array(z.string()).nullish(),
  custom_fields: customFieldsSchema,
});
export type GreenhouseCandidate = z.infer<typeof greenhouseCandidateSchema>;

/** The slimmer record sent by delete_candidate and merge_candidate. */
export const greenhousePersonSchema = z.looseObject({
  id: greenhouseCandidateIdSchema,
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  company: z.string().nullish(),
  title: z.string().nullish(),
  created_at: z.string().nullish(),
  headline: z.string().nullish(),
  is_private: z.boolean().nullish(),
  recruiter_user_id: greenhouseIdSchema.nullish(),
  coordinator_user_id: greenhouseIdSchema.nullish(),
  can_email: z.boolean().nullish(),
  // The delete example says `deleted_application_ids`, its attribute table says `application_ids`.
  deleted_application_ids: z.array(greenhouseIdSchema).nullish(),
  application_ids: z.array(greenhouseIdSchema).nullish(),
  new_candidate_id: greenhouseIdSchema.nullish(),
});
export type GreenhousePerson = z.infer<typeof greenhousePersonSchema>;

const jobSchema = z.looseObject({
  id: greenhouseIdSchema.nullish(),
  name: z.string().nullish(),
  requisition_id: z.union([z.string(), z.number()]).nullish(),
  notes: z.string().nullish(),
  job_post_id: greenhouseIdSchema.nullish(),
  status: z.string().nullish(),
  created_at: z.string().nullish(),
  opened_at: z.string().nullish(),
  closed_at: z.string().nullish(),
  departments: z.array(nameIdSchema).nullish(),
  offices: z.array(officeSchema).nullish(),
  custom_fields: customFieldsSchema,
});

/** `application.job` is deprecated in favour of `application.jobs[]` but still sent. */
const deprecatedJobSchema = z.looseObject({
  id: greenhouseIdSchema.nullish(),
  name: z.string().nullish(),
  open_date: z.string().nullish(),
  close_date: z.string().nullish(),
  requisition_id: z.union([z.string(), z.number()]).nullish(),
  departments: z.array(nameIdSchema).nullish(),
  offices: z.array(officeSchema).nullish(),
  custom_fields: customFieldsSchema,
});

const interviewSchema = z.looseObject({
  id: greenhouseIdSchema.nullish(),
  name: z.string().nullish(),
  status: z.string().nullish(),
  interview_kit: z
    .looseObject({ url: z.string().nullish(), content: z.string().nullish(), questions: z.array(z.unknown()).nullish() })
    .nullish(),
  interviewers: z
    .array(z.looseObject({ id: greenhouseIdSchema.nullish(), display_name: z.string().nullish(), status: z.string().nullish() }))
    .nullish(),
});

export const greenhouseApplicationSchema = z.looseObject({
  id: greenhouseIdSchema.nullish(),
  rejected_at: z.string().nullish(),
  prospect: z.boolean().nullish(),
  status: z.string().nullish(),
  applied_at: z.string().nullish(),
  last_activity_at: z.string().nullish(),
  url: z.string().nullish(),
  source: z.looseObject({ id: greenhouseIdSchema.nullish(), name: z.string().nullish(), public_name: z.string().nullish() }).nullish(),
  credited_to: userSchema.nullish(),
  rejection_reason: z
    .looseObject({ id: greenhouseIdSchema.nullish(), name: z.string().nullish(), type: nameIdSchema.nullish() })
    .nullish(),
  rejection_details: z.looseObject({ custom_fields: customFieldsSchema }).nullish(),
  current_stage: z
    .looseObject({ id: greenhouseIdSchema.nullish(), name: z.string().nullish(), interviews: z.array(interviewSchema).nullish() })
    .nullish(),
  custom_fields: customFieldsSchema,
  candidate: greenhouseCandidateSchema.nullish(),
  jobs: z.array(jobSchema).nullish(),
  job: deprecatedJobSchema.nullish(),
  opening: z.looseObject({ opening_id: z.string().nullish() }).nullish(),
  offer: z
    .looseObject({
      id: greenhouseIdSchema.nullish(),
      version: z.number().nullish(),
      created_at: z.string().nullish(),
      // The example sends `sent_at`, the attribute table calls it `sent_on`.
      sent_at: z.string().nullish(),
      sent_on: z.string().nullish(),
      resolved_at: z.string().nullish(),
      starts_at: z.string().nullish(),
      custom_fields: customFieldsSchema,
    })
    .nullish(),
});
export type GreenhouseApplication = z.infer<typeof greenhouseApplicationSchema>;

export const greenhouseWebhookSchema = z.looseObject({
  action: z.string(),
  payload: z
    .looseObject({
      application: greenhouseApplicationSchema.nullish(),
      candidate: greenhouseCandidateSchema.nullish(),
      person: greenhousePersonSchema.nullish(),
    })
    .nullish(),
});
export type GreenhouseWebhook = z.infer<typeof greenhouseWebhookSchema>;

/** Just enough to route any Greenhouse body, including non-candidate actions whose payloads we never parse. */
export const greenhouseEnvelopeSchema = z.looseObject({
  action: z.string().nullish(),
  payload: z.record(z.string(), z.unknown()).nullish(),
});
export type GreenhouseEnvelope = z.infer<typeof greenhouseEnvelopeSchema>;
