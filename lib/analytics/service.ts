/**
 * The analytics answers (issue 17): the API's JSON or, with format=csv, the chart's data as CSV.
 * The numbers come from lib/db/analytics.ts; this file shapes them.
 */
import { analyticsBounds, type AnalyticsQuery, type Flow, type Funnel, type TimeInStage } from "../contracts/analytics";
import { formatHeader, formatRow, rawCell, type Cell } from "../csv/writer";
import { analyticsJobsQuery, flowQuery, funnelQuery, timeInStageQuery, type AnalyticsFilters } from "../db/analytics";
import type { Sql } from "../db/sql";
import { loadStageNames } from "../db/stage-names";
import { HttpError } from "../http/errors";
import { conversion, weekRange } from "./math";

export function analyticsFilters(query: AnalyticsQuery): AnalyticsFilters {
  const { from, to } = analyticsBounds(query);
  return { jobId: query.jobId, provider: query.provider, includeTest: query.includeTest, from, to };
}

/** A statement cancelled by its time limit (SQLSTATE 57014) as a 503 that says what to do; anything else as it is. */
export function analyticsError(error: unknown): unknown {
  if ((error as { code?: unknown } | null)?.code === "57014") {
    return new HttpError(503, "analytics_timeout", "this selection took too long to count; pick one job or a shorter date range", { retryable: true });
  }
  return error;
}

async function guarded<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw analyticsError(error);
  }
}

/**
 * Stages as every read shows them (lib/history/stage-names.ts): the names given in Settings to the
 * ids some providers send instead of names (Lever), else as stored. The summaries are per provider,
 * not per endpoint: the selected provider's names, or with every provider selected, any provider's.
 * The candidate list's stage filter takes these names too, so the charts' links still select the
 * stage's candidates.
 */
async function analyticsStageNames(sql: Sql, provider: string | undefined): Promise<(stage: string) => string> {
  const nameStage = await loadStageNames(sql);
  return (stage) => nameStage(stage, { provider });
}

export async function getFunnel(sql: Sql, filters: AnalyticsFilters): Promise<Funnel> {
  const [result, name] = await Promise.all([guarded(funnelQuery(sql, filters)), analyticsStageNames(sql, filters.provider)]);
  const pipeline = result.stages.filter((s) => s.outcome === "active");
  const last = pipeline.at(-1)?.name;
  return {
    totals: result.totals,
    stages: result.stages.map((s) => ({
      ...s,
      name: name(s.name),
      // Outcome stages and the last pipeline stage have no "next" to convert to.
      conversion: s.outcome !== "active" || s.name === last ? null : conversion(s.advanced, s.reached),
    })),
  };
}

export async function getTimeInStage(sql: Sql, filters: AnalyticsFilters): Promise<TimeInStage> {
  const [stages, name] = await Promise.all([guarded(timeInStageQuery(sql, filters)), analyticsStageNames(sql, filters.provider)]);
  return { stages: stages.map((s) => ({ ...s, name: name(s.name) })) };
}

export async function getFlow(sql: Sql, filters: AnalyticsFilters): Promise<Flow> {
  const [rows, name] = await Promise.all([guarded(flowQuery(sql, filters)), analyticsStageNames(sql, filters.provider)]);
  const weeks = weekRange([...rows.entries.map((e) => e.week), ...rows.closures.map((c) => c.week)]);
  const byWeek = new Map(weeks.map((week) => [week, { week, entries: {} as Record<string, number>, hired: 0, rejected: 0, withdrawn: 0 }]));
  for (const e of rows.entries) {
    const w = byWeek.get(e.week);
    // Two ids given one name are one stage on the chart.
    const stage = name(e.stage);
    if (w) w.entries[stage] = (w.entries[stage] ?? 0) + Number(e.n);
  }
  for (const c of rows.closures) {
    const w = byWeek.get(c.week);
    if (w && (c.status === "hired" || c.status === "rejected" || c.status === "withdrawn")) w[c.status] = Number(c.n);
  }
  const entered = new Set(rows.entries.map((e) => e.stage));
  return { stages: [...new Set(rows.stages.filter((s) => entered.has(s)).map(name))], weeks: [...byWeek.values()] };
}

export const getAnalyticsJobs = analyticsJobsQuery;

const n = (v: number | null) => rawCell(v);
const csv = (header: string[], rows: Cell[][]) => formatHeader(header) + rows.map((r) => formatRow(r)).join("");

export function funnelCsv(funnel: Funnel): string {
  return csv(
    ["stage", "order", "outcome", "reached", "advanced", "conversion", "current", "left_hired", "left_rejected", "left_withdrawn"],
    funnel.stages.map((s) => [s.name, n(s.order), s.outcome, n(s.reached), n(s.advanced), n(s.conversion), n(s.current), n(s.left.hired), n(s.left.rejected), n(s.left.withdrawn)]),
  );
}

export function timeInStageCsv(t: TimeInStage): string {
  return csv(
    ["stage", "order", "median_ms", "p90_ms", "completed_stays", "open"],
    t.stages.map((s) => [s.name, n(s.order), n(s.medianMs), n(s.p90Ms), n(s.count), n(s.open)]),
  );
}

/** One row per week and stage (long format: spreadsheets pivot it), then the week's outcomes. */
export function flowCsv(flow: Flow): string {
  const rows: Cell[][] = [];
  for (const w of flow.weeks) {
    for (const stage of flow.stages) rows.push([rawCell(w.week), "entered", stage, n(w.entries[stage] ?? 0)]);
    for (const outcome of ["hired", "rejected", "withdrawn"] as const) rows.push([rawCell(w.week), outcome, null, n(w[outcome])]);
  }
  return csv(["week", "measure", "stage", "count"], rows);
}

/** A CSV download named after the chart and the filters. */
export function csvResponse(name: string, query: AnalyticsQuery, body: string): Response {
  const parts = [name, query.provider, query.jobId, query.from, query.to].filter(Boolean).map((p) => String(p).replace(/[^\w.-]+/g, "-"));
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${parts.join("_")}.csv"`,
      "cache-control": "no-store",
    },
  });
}

