import { z } from "zod";
import { providerIds } from "../providers/types";

/*
 * Wire shapes of the pipeline analytics (issue 17): GET /api/analytics/{jobs,funnel,time-in-stage,flow}.
 * Schema only: the dashboard imports this file, so nothing server-side here. Rules: README
 * "Pipeline analytics"; SQL: lib/db/analytics.ts.
 */

const count = z.number().int().min(0);
const flag = z.enum(["1", "0", "true", "false"]).default("0").transform((v) => v === "1" || v === "true");
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` (a UTC day) or an ISO time with offset. */
const dayOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** The filters every analytics read takes. `from`/`to` select applications by when they entered the job's first stage. */
export const analyticsQuerySchema = z.strictObject({
  /** The job (its provider id, the `job_key` of the stage observations); all jobs when absent. */
  jobId: z.string().trim().min(0).max(200).optional(),
  provider: z.enum(providerIds).optional(),
  /** Inclusive. A day means its start (00:00 UTC). */
  from: dayOrTime.optional(),
  /** Exclusive for a time; a day is included whole (the day after, 00:00 UTC, is the bound). */
  to: dayOrTime.optional(),
  /** Test candidates ("Send test delivery") are left out unless includeTest=1. */
  includeTest: flag,
  /** `csv`: the chart's data as a CSV download instead of JSON. */
  format: z.enum(["json", "csv"]).default("json"),
});
export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;

/** The query's date bounds as instants: a bare day `to` is included whole. */
export function analyticsBounds(query: Pick<AnalyticsQuery, "from" | "to">): { from: Date | null; to: Date | null } {
  const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
  const from = query.from ? new Date(isDay(query.from) ? `${query.from}T00:00:00Z` : query.from) : null;
  const to = query.to ? (isDay(query.to) ? new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS) : new Date(query.to)) : null;
  return { from, to };
}

export const analyticsJobsQuerySchema = analyticsQuerySchema.pick({ provider: true, includeTest: true });

export const analyticsJobsSchema = z.object({
  /** Jobs with at least one application, most applications first (at most 500). */
  jobs: z.array(z.object({ jobId: z.string(), title: z.string().nullable(), provider: z.enum(providerIds), applications: count })),
  /** Providers with at least one application. */
  providers: z.array(z.object({ provider: z.enum(providerIds), applications: count })),
});
export type AnalyticsJobs = z.infer<typeof analyticsJobsSchema>;

/** A stage's name says how the application ended (README "Status"): `active` for an ordinary stage. */
const outcome = z.enum(["active", "hired", "rejected", "withdrawn"]);

const stageBase = {
  /** The stage as the timeline shows it: the name given in Settings → stage names to an id a provider sends (Lever), else as stored. */
  name: z.string(),
  /** Position in the job's stage order (0 first): README "Pipeline analytics", stage order. */
  order: z.number().int().min(0),
  /** `active` for a pipeline stage; hired/rejected/withdrawn for a stage whose name is an outcome ("Rejected", "Placed"). */
  outcome,
};

export const funnelSchema = z.object({
  stages: z.array(
    z.object({
      ...stageBase,
      /** Applications that entered the stage at least once. */
      reached: count,
      /** Of those, how many went on to a later pipeline stage of the order. */
      advanced: count,
      /** advanced / reached (0–1), null for an outcome stage, the last pipeline stage, or none reached. */
      conversion: z.number().min(0).max(1).nullable(),
      /** Open applications whose current stage this is. */
      current: count,
      /** Closed applications that left from here: their last pipeline stage before the outcome. */
      left: z.object({ hired: count, rejected: count, withdrawn: count }),
    }),
  ),
  /** The selected applications by their current status. */
  totals: z.object({ applications: count, active: count, hired: count, rejected: count, withdrawn: count }),
});
export type Funnel = z.infer<typeof funnelSchema>;

export const timeInStageSchema = z.object({
  /** Pipeline stages only (outcome stages have no duration worth timing), in the job's stage order. */
  stages: z.array(
    z.object({
      ...stageBase,
      /** Median and 90th percentile (linear interpolation, as PostgreSQL's percentile_cont) over completed stays, ms; null without any. */
      medianMs: z.number().int().min(0).nullable(),
      p90Ms: z.number().int().min(0).nullable(),
      /** Completed stays: left for another stage, or ended by the application closing. */
      count,
      /** Open applications in the stage now: counted, not timed. */
      open: count,
    }),
  ),
});
export type TimeInStage = z.infer<typeof timeInStageSchema>;

export const flowSchema = z.object({
  /** Every stage with an entry, in the job's stage order (named as in the funnel). */
  stages: z.array(z.string()),
  /** ISO weeks (Monday, UTC) from the first to the last with activity, none skipped (at most the last 104). */
  weeks: z.array(
    z.object({
      week: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      /** Entries (stays begun) per stage name; stages without entries that week are left out. */
      entries: z.record(z.string(), count),
      /** Applications whose current status began that week. */
      hired: count,
      rejected: count,
      withdrawn: count,
    }),
  ),
});
export type Flow = z.infer<typeof flowSchema>;
