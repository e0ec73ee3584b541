import { z } from "zod";
import { candidateStatuses, jobStatuses } from "../history/status";
import { providerIds } from "../providers/types";
import { timelineEventSchema } from "./responses";

/* People (issue 17): the request and response contracts of /api/people/**, client-safe (the dashboard parses with them). */

const isoDate = z.iso.datetime({ offset: true });
const flag = z.enum(["1", "0", "true", "false"]).default("0").transform((v) => v === "1" || v === "true");

export const listPeopleQuerySchema = z.strictObject({
  /** A record's name or email contains it (any case), or it is a record's provider id. */
  q: z.string().trim().max(200).optional(),
  status: z.enum(candidateStatuses).optional(),
  /** People whose records are all test data are left out unless includeTest=1. */
  includeTest: flag,
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListPeopleQuery = z.infer<typeof listPeopleQuerySchema>;

export const candidateRefSchema = z.strictObject({ candidateId: z.string().min(1).max(100) });

const linkSchema = z.object({
  /** new: the record started this person; email: its normalized email matched; manual; suggestion: an accepted suggestion. */
  reason: z.enum(["new", "email", "manual", "suggestion"]),
  detail: z.string().nullable(),
  /** Who linked it by hand; null when automatic. */
  linkedBy: z.string().nullable(),
  linkedAt: isoDate,
});

export const personRecordSchema = z.object({
  id: z.string(),
  provider: z.enum(providerIds),
  externalId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  status: z.enum(candidateStatuses),
  lastEventAt: isoDate,
  deletedAt: isoDate.nullable(),
  /** The survivor this record was merged into (provider merge), when known: the record is shown under it. */
  mergedInto: z.object({ externalId: z.string(), id: z.string().nullable() }).nullable(),
  link: linkSchema,
});

export const personSummarySchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  emails: z.array(z.string()),
  status: z.enum(candidateStatuses),
  lastEventAt: isoDate,
  candidates: z.array(personRecordSchema),
});
export const personListSchema = z.object({ people: z.array(personSummarySchema), nextCursor: z.string().nullable() });
export type PersonList = z.infer<typeof personListSchema>;
export type PersonSummary = z.infer<typeof personSummarySchema>;

export const personViewSchema = personSummarySchema.extend({
  phones: z.array(z.string()),
  createdAt: isoDate,
  /** Current stage and status per application (record × job), newest first. */
  applications: z.array(
    z.object({
      candidateId: z.string(),
      provider: z.enum(providerIds),
      jobKey: z.string(),
      jobTitle: z.string().nullable(),
      stage: z.string(),
      since: isoDate,
      status: z.enum(jobStatuses),
      statusSince: isoDate.nullable(),
    }),
  ),
});
export type PersonView = z.infer<typeof personViewSchema>;

export const personTimelineSchema = z.object({
  person: z.object({ id: z.string(), name: z.string().nullable() }),
  events: z.array(timelineEventSchema.extend({ candidateId: z.string() })),
  nextCursor: z.string().nullable(),
});
export type PersonTimeline = z.infer<typeof personTimelineSchema>;

export const suggestionListSchema = z.object({
  suggestions: z.array(
    z.object({
      candidate: z.object({
        id: z.string(),
        provider: z.enum(providerIds),
        externalId: z.string(),
        name: z.string().nullable(),
        email: z.string().nullable(),
        status: z.enum(candidateStatuses),
        personId: z.string(),
      }),
      /** phone: an E.164 number in common; name_and_job: the exact name and a job title in common. */
      reasons: z.array(z.object({ rule: z.enum(["phone", "name_and_job"]), detail: z.string() })),
    }),
  ),
});
export type SuggestionList = z.infer<typeof suggestionListSchema>;

export const moveResultSchema = z.object({ personId: z.string(), candidateId: z.string(), previousPersonId: z.string().nullable() });
