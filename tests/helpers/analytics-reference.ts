/**
 * An independent computation of the pipeline analytics from the stored rows (event_stages,
 * candidate_stages, candidates), in plain JS, for the integration test to hold the API's SQL
 * against. It follows the README's "Pipeline analytics" definitions, written again from them.
 */
import { percentile, weekOf } from "@/lib/analytics/math";

export interface ObsRow {
  candidate_id: string;
  job_key: string;
  stage: string;
  occurred_at: Date;
  received_at: Date;
  event_id: string;
}
export interface AppRow {
  candidate_id: string;
  job_key: string;
  status: string;
  status_since: Date | null;
}
export interface CandRow {
  id: string;
  provider: string;
  status: string;
  is_test: boolean;
}
export interface RefFilters {
  jobId?: string;
  provider?: string;
  from?: Date;
  to?: Date;
  includeTest?: boolean;
}

/** The README's outcome names (same rule as the status derivation). */
export function outcomeOf(stage: string): "active" | "hired" | "rejected" | "withdrawn" {
  const s = stage.trim().toLowerCase();
  if (["hired", "placed", "placement", "started"].includes(s)) return "hired";
  if (["rejected", "unsuccessful", "declined", "archived", "not suitable"].includes(s)) return "rejected";
  if (["withdrawn", "withdrew", "candidate withdrew", "withdrawn by candidate"].includes(s)) return "withdrawn";
  return "active";
}
const closed = (status: string) => status === "hired" || status === "rejected" || status === "withdrawn";

interface Stay {
  stage: string;
  enteredAt: number;
  leftAt: number | null;
}
interface App extends AppRow {
  stays: Stay[];
}

export function referenceAnalytics(obs: ObsRow[], apps: AppRow[], candidates: CandRow[], f: RefFilters) {
  const cand = new Map(candidates.map((c) => [c.id, c]));
  const key = (c: string, j: string) => `${c}\u0000${j}`;
  const selected = new Map<string, App>();
  for (const a of apps) {
    const c = cand.get(a.candidate_id)!;
    if (f.jobId !== undefined && a.job_key !== f.jobId) continue;
    if (f.provider && c.provider !== f.provider) continue;
    if (c.status === "merged" || (c.is_test && !f.includeTest)) continue;
    selected.set(key(a.candidate_id, a.job_key), { ...a, stays: [] });
  }
  const byApp = new Map<string, ObsRow[]>();
  for (const o of obs) {
    const k = key(o.candidate_id, o.job_key);
    if (!selected.has(k)) continue;
    (byApp.get(k) ?? byApp.set(k, []).get(k)!).push(o);
  }
  const cmp = (a: ObsRow, b: ObsRow) =>
    a.occurred_at.getTime() - b.occurred_at.getTime() || a.received_at.getTime() - b.received_at.getTime() || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);
  const chosen: App[] = [];
  for (const [k, list] of byApp) {
    list.sort(cmp);
    const first = list[0]!.occurred_at.getTime();
    if (f.from && first < f.from.getTime()) continue;
    if (f.to && first >= f.to.getTime()) continue;
    const app = selected.get(k)!;
    for (const o of list) {
      const last = app.stays.at(-1);
      if (last && last.stage === o.stage) continue;
      if (last) last.leftAt = o.occurred_at.getTime();
      app.stays.push({ stage: o.stage, enteredAt: o.occurred_at.getTime(), leftAt: null });
    }
    chosen.push(app);
  }

  // Stage order: a stage's position is the number of stays before its first entry; mean position,
  // then most reached, then name; outcome stages last.
  const positions = new Map<string, number[]>();
  for (const app of chosen) {
    const seen = new Set<string>();
    app.stays.forEach((s, i) => {
      if (seen.has(s.stage)) return;
      seen.add(s.stage);
      (positions.get(s.stage) ?? positions.set(s.stage, []).get(s.stage)!).push(i);
    });
  }
  const order = [...positions.entries()]
    .map(([stage, ps]) => ({ stage, outcome: outcomeOf(stage), reached: ps.length, mean: ps.reduce((a, b) => a + b, 0) / ps.length }))
    .sort(
      (a, b) =>
        Number(a.outcome !== "active") - Number(b.outcome !== "active") ||
        a.mean - b.mean ||
        b.reached - a.reached ||
        (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0),
    );
  const ord = new Map(order.map((o, i) => [o.stage, i]));
  const pipeline = order.filter((o) => o.outcome === "active");

  const funnel = order.map((o, i) => {
    const reachedApps = chosen.filter((a) => a.stays.some((s) => s.stage === o.stage));
    const advanced =
      o.outcome === "active"
        ? reachedApps.filter((a) => a.stays.some((s) => outcomeOf(s.stage) === "active" && ord.get(s.stage)! > i)).length
        : 0;
    // The last stage if a pipeline stage, else the one before it if that is one.
    const leftFrom = (a: App) => {
      const last = a.stays.at(-1)!.stage;
      const before = a.stays.at(-2)?.stage;
      return outcomeOf(last) !== "active" && before !== undefined && outcomeOf(before) === "active" ? before : last;
    };
    return {
      name: o.stage,
      order: i,
      outcome: o.outcome,
      reached: o.reached,
      advanced,
      conversion: o.outcome !== "active" || o.stage === pipeline.at(-1)?.stage ? null : Math.round((advanced / o.reached) * 10_000) / 10_000,
      current: chosen.filter((a) => !closed(a.status) && a.stays.at(-1)!.stage === o.stage).length,
      left: Object.fromEntries(
        (["hired", "rejected", "withdrawn"] as const).map((st) => [st, chosen.filter((a) => a.status === st && leftFrom(a) === o.stage).length]),
      ) as { hired: number; rejected: number; withdrawn: number },
    };
  });
  const totals = {
    applications: chosen.length,
    active: chosen.filter((a) => !closed(a.status)).length,
    hired: chosen.filter((a) => a.status === "hired").length,
    rejected: chosen.filter((a) => a.status === "rejected").length,
    withdrawn: chosen.filter((a) => a.status === "withdrawn").length,
  };

  const timeInStage = pipeline.map((o) => {
    const durations: number[] = [];
    let open = 0;
    for (const a of chosen)
      for (const s of a.stays) {
        if (s.stage !== o.stage) continue;
        if (s.leftAt !== null) durations.push(s.leftAt - s.enteredAt);
        else if (closed(a.status) && a.status_since) durations.push(Math.max(0, a.status_since.getTime() - s.enteredAt));
        else open++;
      }
    const r = (v: number | null) => (v === null ? null : Math.round(v));
    return { name: o.stage, order: ord.get(o.stage)!, outcome: "active", medianMs: r(percentile(durations, 0.5)), p90Ms: r(percentile(durations, 0.9)), count: durations.length, open };
  });

  const entries = new Map<string, number>();
  const closures = new Map<string, number>();
  for (const a of chosen) {
    for (const s of a.stays) entries.set(`${weekOf(new Date(s.enteredAt))} ${s.stage}`, (entries.get(`${weekOf(new Date(s.enteredAt))} ${s.stage}`) ?? 0) + 1);
    if (closed(a.status) && a.status_since) closures.set(`${weekOf(a.status_since)} ${a.status}`, (closures.get(`${weekOf(a.status_since)} ${a.status}`) ?? 0) + 1);
  }
  return { funnel: { stages: funnel, totals }, timeInStage: { stages: timeInStage }, entries, closures, order: order.map((o) => o.stage) };
}
