import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { eraseCandidates } from "@/lib/erasure/erase";
import { reprocessAll } from "@/lib/ingest/reprocess-all";
import { getProvider } from "@/lib/providers/registry";
import { providerIds } from "@/lib/providers/types";
import { runRetention, saveRetentionSettings } from "@/lib/retention/retention";
import { buildHistories } from "@/lib/simulator/build-histories";
import { weekOf } from "@/lib/analytics/math";
import { Rng } from "@/lib/simulator/random";
import { outcomeOf } from "../helpers/analytics-reference";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";
import { createEndpoints, isTimeless, sendAndCheck, shuffle, type PlannedDelivery } from "../helpers/timeline";

/**
 * The analytics summaries (application_stays and application_summary, kept per processing batch by
 * refresh_application_stays) stay true to the stored stage observations through what changes them:
 * shuffled (late) deliveries, reprocessing, a candidate flagged as test data, merges, erasure and
 * retention. Each step holds the tables to (a) the stays and applications computed here from
 * event_stages, and (b) a full recompute of every candidate.
 * The answers themselves are held to an independent computation in analytics.test.ts.
 */
const kinds: DbKind[] = ["pglite", "postgres"];

const histories = providerIds.flatMap((provider) =>
  buildHistories({ provider, seed: getProvider(provider)!.simulator.coverageSeed, candidates: provider === "greenhouse" ? 12 : 4, startAt: new Date("2025-01-06T09:00:00Z") }).flatMap((h, hi) =>
    h.deliveries.map((delivery, di): PlannedDelivery => ({ provider, delivery, deliveryId: `${provider}-${hi}-${di}`, redelivery: false })),
  ),
);

function arrivalOrder(): PlannedDelivery[] {
  const inOrder = [...histories].sort((a, b) => a.delivery.occurredAt.getTime() - b.delivery.occurredAt.getTime());
  const shuffled = shuffle(new Rng("analytics-stays", 17), inOrder);
  const timeless = inOrder.filter(isTimeless);
  let next = 0;
  return shuffled.map((p) => (isTimeless(p) ? timeless[next++]! : p));
}

interface StayRow {
  candidate_id: string;
  job_key: string;
  pos: number;
  stage: string;
  entered_at: string;
  left_at: string | null;
  prev_stage: string | null;
  first_entry: boolean;
  started_at: string;
  provider: string;
  is_test: boolean;
  merged: boolean;
  status: string;
  status_since: string | null;
  duration_ms: number | null;
}

interface ApplicationRow {
  candidate_id: string;
  job_key: string;
  started_at: string;
  provider: string;
  is_test: boolean;
  merged: boolean;
  status: string;
  status_since: string | null;
  reached: [string, number][];
  last_stage: string;
  left_from: string;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
/** float8 milliseconds (extract(epoch …) × 1000) to the millisecond they stand for. */
const ms = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
const closed = (status: string) => status === "hired" || status === "rejected" || status === "withdrawn";

/** The applications as the README defines them, from their stays (in order). */
function applicationsOf(stays: StayRow[]): ApplicationRow[] {
  const byApp = new Map<string, StayRow[]>();
  for (const s of stays) {
    const key = `${s.candidate_id}\u0000${s.job_key}`;
    byApp.set(key, [...(byApp.get(key) ?? []), s]);
  }
  return [...byApp.values()].map((list) => {
    const first = list[0]!;
    const last = list[list.length - 1]!;
    return {
      candidate_id: first.candidate_id,
      job_key: first.job_key,
      started_at: first.started_at,
      provider: first.provider,
      is_test: first.is_test,
      merged: first.merged,
      status: first.status,
      status_since: first.status_since,
      reached: list.filter((s) => s.first_entry).map((s): [string, number] => [s.stage, s.pos]),
      last_stage: last.stage,
      left_from:
        outcomeOf(last.stage) !== "active" && last.prev_stage !== null && outcomeOf(last.prev_stage) === "active" ? last.prev_stage : last.stage,
    };
  });
}

type RollupCounts = Record<string, { n: number; first_n: number; first_pos: number }>;

/**
 * The flow rollup as the README defines it, from the stays and applications: per job and for all
 * jobs (job ''), provider, test flag and week of the application's start, the entries per stage and
 * entry week (with the first entries' count and position sum) and the closures per current status
 * and the week it began; merged-away applications left out.
 */
function rollupOf(stays: StayRow[], apps: ApplicationRow[]): RollupCounts {
  const out: RollupCounts = {};
  const add = (s: { job_key: string; provider: string; is_test: boolean; started_at: string }, kind: string, name: string, week: string, first: number | null) => {
    for (const [perJob, job] of [[true, s.job_key], [false, ""]] as const) {
      const key = [perJob, job, s.provider, s.is_test, weekOf(s.started_at), kind, name, week].join("|");
      const c = (out[key] ??= { n: 0, first_n: 0, first_pos: 0 });
      c.n += 1;
      if (first !== null) {
        c.first_n += 1;
        c.first_pos += first;
      }
    }
  };
  for (const s of stays) if (!s.merged) add(s, "entry", s.stage, weekOf(s.entered_at), s.first_entry ? s.pos : null);
  for (const a of apps) if (!a.merged && closed(a.status) && a.status_since) add(a, "closure", a.status, weekOf(a.status_since), null);
  return out;
}

describe.each(kinds)("analytics summary (application_stays) on %s", (kind) => {
  let t: TestDb;

  async function stored(): Promise<StayRow[]> {
    const rows = await t.db.sql.query<StayRow>({ text: `SELECT * FROM application_stays ORDER BY candidate_id, job_key, pos` });
    return rows.map((r) => ({
      ...r,
      entered_at: iso(r.entered_at)!,
      left_at: iso(r.left_at),
      started_at: iso(r.started_at)!,
      status_since: iso(r.status_since),
      duration_ms: ms(r.duration_ms),
    }));
  }

  async function storedApplications(): Promise<ApplicationRow[]> {
    const rows = await t.db.sql.query<Omit<ApplicationRow, "reached"> & { reached: string }>({
      text: `SELECT * FROM application_summary ORDER BY candidate_id, job_key`,
    });
    return rows.map((r) => ({ ...r, reached: JSON.parse(r.reached), started_at: iso(r.started_at)!, status_since: iso(r.status_since) }));
  }

  /** The stays as the README defines them, computed here from the stored observations and statuses. */
  async function expected(): Promise<StayRow[]> {
    const obs = await t.db.sql.query<{ candidate_id: string; job_key: string; stage: string; occurred_at: string; received_at: string; event_id: string }>({
      text: `SELECT candidate_id, job_key, stage, occurred_at, received_at, event_id FROM event_stages`,
    });
    const apps = await t.db.sql.query<{ candidate_id: string; job_key: string; status: string; status_since: string | null; provider: string; is_test: boolean; cstatus: string }>({
      text: `SELECT cs.candidate_id, cs.job_key, cs.status, cs.status_since, c.provider, c.is_test, c.status AS cstatus
             FROM candidate_stages cs JOIN candidates c ON c.id = cs.candidate_id`,
    });
    const byApp = new Map<string, typeof obs>();
    for (const o of obs) {
      const key = `${o.candidate_id}\u0000${o.job_key}`;
      byApp.set(key, [...(byApp.get(key) ?? []), o]);
    }
    const out: StayRow[] = [];
    for (const a of apps) {
      const list = (byApp.get(`${a.candidate_id}\u0000${a.job_key}`) ?? []).sort(
        (x, y) =>
          new Date(x.occurred_at).getTime() - new Date(y.occurred_at).getTime() ||
          new Date(x.received_at).getTime() - new Date(y.received_at).getTime() ||
          (x.event_id < y.event_id ? -1 : x.event_id > y.event_id ? 1 : 0),
      );
      const runs = list.filter((o, i) => i === 0 || list[i - 1]!.stage !== o.stage);
      const seen = new Set<string>();
      runs.forEach((o, pos) => {
        const entered = new Date(o.occurred_at).getTime();
        const left = pos + 1 < runs.length ? new Date(runs[pos + 1]!.occurred_at).getTime() : null;
        out.push({
          candidate_id: a.candidate_id,
          job_key: a.job_key,
          pos,
          stage: o.stage,
          entered_at: iso(o.occurred_at)!,
          left_at: pos + 1 < runs.length ? iso(runs[pos + 1]!.occurred_at) : null,
          prev_stage: pos > 0 ? runs[pos - 1]!.stage : null,
          first_entry: !seen.has(o.stage),
          started_at: iso(list[0]!.occurred_at)!,
          provider: a.provider,
          is_test: a.is_test,
          merged: a.cstatus === "merged",
          status: a.status,
          status_since: iso(a.status_since),
          // As time in stage times it: to the next stay, or to the closing of a closed application.
          duration_ms:
            left !== null
              ? left - entered
              : closed(a.status) && a.status_since !== null
                ? Math.max(0, new Date(a.status_since).getTime() - entered)
                : null,
        });
        seen.add(o.stage);
      });
    }
    const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    return out.sort((x, y) => cmp(x.candidate_id, y.candidate_id) || cmp(x.job_key, y.job_key) || x.pos - y.pos);
  }

  /** flow_rollup's groups, deltas summed (groups that sum to nothing left out). */
  async function storedRollup(): Promise<RollupCounts> {
    const rows = await t.db.sql.query<{ key: string; n: string; first_n: string; first_pos: string }>({
      text: `SELECT concat_ws('|', per_job::text, job_key, provider, is_test::text, to_char(start_week, 'YYYY-MM-DD'), kind, name, to_char(week, 'YYYY-MM-DD')) AS key,
               sum(n)::text AS n, sum(first_n)::text AS first_n, sum(first_pos)::text AS first_pos
             FROM flow_rollup GROUP BY per_job, job_key, provider, is_test, start_week, kind, name, week
             HAVING sum(n) <> 0 OR sum(first_n) <> 0 OR sum(first_pos) <> 0`,
    });
    return Object.fromEntries(rows.map((r) => [r.key, { n: Number(r.n), first_n: Number(r.first_n), first_pos: Number(r.first_pos) }]));
  }

  /**
   * The all-jobs rollups (funnel_rollup, stay_duration_rollup, job_applications_rollup), deltas summed,
   * beside the same groups counted from the stored stays and applications (checked above): each pair
   * must be equal, as JSON text of the sorted groups.
   */
  async function allJobsRollups(): Promise<{ stored: string[]; counted: string[] }> {
    const pairs = [
      [`SELECT provider, is_test, start_week, reached, last_stage, left_from, status, sum(n) AS n FROM funnel_rollup GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0`,
       `SELECT provider, is_test, flow_week(started_at) AS start_week, reached, last_stage, left_from, status, count(*) AS n FROM application_summary WHERE NOT merged GROUP BY 1, 2, 3, 4, 5, 6, 7`],
      [`SELECT provider, is_test, stage, open, bucket, sum(n) AS n, sum(sum_ms) AS sum_ms FROM stay_duration_rollup GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0`,
       `SELECT provider, is_test, stage, duration_ms IS NULL AS open, coalesce(duration_bucket(duration_ms), 0) AS bucket, count(*) AS n, coalesce(sum(duration_ms::numeric), 0) AS sum_ms
        FROM application_stays WHERE NOT merged GROUP BY 1, 2, 3, 4, 5`],
      [`SELECT job_key, provider, is_test, sum(n) AS n FROM job_applications_rollup GROUP BY 1, 2, 3 HAVING sum(n) <> 0`,
       `SELECT job_key, provider, is_test, count(*) AS n FROM application_summary WHERE NOT merged GROUP BY 1, 2, 3`],
    ];
    const rows = async (text: string) =>
      (await t.db.sql.query<{ g: string }>({ text: `SELECT coalesce(json_agg(x ORDER BY x::text)::text, '[]') AS g FROM (${text}) x` }))[0]!.g;
    return { stored: await Promise.all(pairs.map((p) => rows(p[0]!))), counted: await Promise.all(pairs.map((p) => rows(p[1]!))) };
  }

  /** The tables equal the stays and applications computed here, and a full recompute of every candidate changes nothing. */
  async function expectTrue(label: string) {
    const now = await stored();
    const want = await expected();
    expect(now.length, label).toBeGreaterThan(0);
    expect(now, label).toEqual(want);
    expect(want.some((s) => s.duration_ms !== null && s.left_at === null), `${label}: a closed application's last stay is timed`).toBe(true);
    const apps = await storedApplications();
    expect(apps, `${label}: application_summary`).toEqual(applicationsOf(want));
    const rollup = await storedRollup();
    expect(Object.keys(rollup).length, label).toBeGreaterThan(0);
    expect(rollup, `${label}: flow_rollup`).toEqual(rollupOf(want, applicationsOf(want)));
    // A recompute that finds nothing changed writes nothing (the ingest statement runs it for every
    // batch, most of whose candidates move no stage): the backend's write counters before and after
    // it, in one transaction (they also hold earlier transactions' counts until they are reported).
    const writes = await t.db.sql.transaction(async (tx) => {
      const counters = () =>
        tx.query<{ relname: string; n: string }>({
          text: `SELECT relname, (n_tup_ins + n_tup_upd + n_tup_del)::text AS n FROM pg_stat_xact_user_tables
                 WHERE relname IN ('application_stays', 'application_summary', 'flow_rollup', 'funnel_rollup', 'stay_duration_rollup', 'job_applications_rollup')`,
        });
      const before = new Map((await counters()).map((r) => [r.relname, Number(r.n)]));
      await tx.query({ text: `SELECT refresh_application_stays(ARRAY(SELECT id FROM candidates))` });
      return (await counters()).map((r) => ({ relname: r.relname, written: Number(r.n) - (before.get(r.relname) ?? 0) }));
    });
    expect(writes.filter((w) => w.written !== 0), `${label}: rows written by a recompute that changes nothing`).toEqual([]);
    expect(await stored(), `${label}: a full recompute`).toEqual(now);
    expect(await storedApplications(), `${label}: a full recompute of application_summary`).toEqual(apps);
    expect(await storedRollup(), `${label}: a full recompute of flow_rollup`).toEqual(rollup);
    const unfolded = await allJobsRollups();
    expect(unfolded.stored, `${label}: all-jobs rollups`).toEqual(unfolded.counted);
    // Folding the deltas changes no sum and leaves one row per group.
    await t.db.sql.query({ text: `SELECT compact_flow_rollup()` });
    expect(await storedRollup(), `${label}: flow_rollup folded`).toEqual(rollup);
    const [rows] = await t.db.sql.query<{ unfolded: number; groups: number; total: number }>({
      text: `SELECT count(*) FILTER (WHERE NOT folded)::int AS unfolded, count(*)::int AS total,
               (SELECT count(*)::int FROM (SELECT DISTINCT per_job, job_key, provider, is_test, start_week, kind, name, week FROM flow_rollup) g) AS groups FROM flow_rollup`,
    });
    expect(rows, `${label}: folded`).toEqual({ unfolded: 0, groups: Object.keys(rollup).length, total: Object.keys(rollup).length });
    const all = await allJobsRollups();
    expect(all.counted.every((g) => g !== "[]"), `${label}: all-jobs rollups have groups`).toBe(true);
    expect(all.stored, `${label}: all-jobs rollups (folded)`).toEqual(all.counted);
  }

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    const endpoints = await createEndpoints();
    for (const p of arrivalOrder()) await sendAndCheck(endpoints, p);
  }, 240_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("is kept at ingest, late deliveries and merges included", async () => {
    const [row] = await t.db.sql.query<{ merged: number; late: number }>({
      text: `SELECT (SELECT count(DISTINCT candidate_id)::int FROM application_stays WHERE merged) AS merged,
                    (SELECT count(*)::int FROM event_stages a WHERE EXISTS (SELECT 1 FROM event_stages b WHERE b.candidate_id = a.candidate_id
                       AND b.job_key = a.job_key AND b.occurred_at > a.occurred_at AND b.received_at < a.received_at)) AS late`,
    });
    expect(row!.merged).toBeGreaterThan(0);
    expect(row!.late).toBeGreaterThan(0);
    await expectTrue("after ingest");
  });

  it("follows a candidate flagged as test data", async () => {
    const [c] = await t.db.sql.query<{ id: string }>({ text: `SELECT candidate_id AS id FROM application_stays WHERE NOT is_test ORDER BY candidate_id LIMIT 1` });
    await t.db.sql.query({ text: `UPDATE candidates SET is_test = true WHERE id = $1`, params: [c!.id] });
    const rows = await t.db.sql.query<{ is_test: boolean }>({ text: `SELECT is_test FROM application_stays WHERE candidate_id = $1`, params: [c!.id] });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.is_test)).toBe(true);
    const apps = await t.db.sql.query<{ is_test: boolean }>({ text: `SELECT is_test FROM application_summary WHERE candidate_id = $1`, params: [c!.id] });
    expect(apps.length).toBeGreaterThan(0);
    expect(apps.every((r) => r.is_test)).toBe(true);
    await expectTrue("after flagging");
  });

  it("is the same after reprocessing every delivery", async () => {
    const before = await stored();
    await reprocessAll(t.db, { batchSize: 16 });
    expect(await stored()).toEqual(before);
    await expectTrue("after reprocessing");
  });

  it("loses an erased candidate's stays, with the rest untouched", async () => {
    const [c] = await t.db.sql.query<{ id: string }>({
      text: `SELECT candidate_id AS id FROM application_stays WHERE NOT merged GROUP BY candidate_id ORDER BY count(*) DESC, candidate_id LIMIT 1`,
    });
    const others = (await stored()).filter((r) => r.candidate_id !== c!.id);
    const erased = await eraseCandidates(t.db, [c!.id], { actor: "test", via: "test" });
    expect(erased).not.toBeNull();
    const after = await stored();
    expect(after.some((r) => r.candidate_id === c!.id)).toBe(false);
    // Records merged into the erased one go with it (erasure's rule): every other stay is kept as it was.
    const gone = new Set(others.map((r) => r.candidate_id).filter((id) => !after.some((r) => r.candidate_id === id)));
    expect(after).toEqual(others.filter((r) => !gone.has(r.candidate_id)));
    await expectTrue("after erasure");
  });

  it("is recomputed when retention deletes old events", async () => {
    const [range] = await t.db.sql.query<{ lo: string; hi: string }>({ text: `SELECT min(received_at) AS lo, max(received_at) AS hi FROM events` });
    const cutoff = new Date((new Date(range!.lo).getTime() + new Date(range!.hi).getTime()) / 2);
    const eventsBefore = await t.db.sql.query<{ n: number }>({ text: `SELECT count(*)::int AS n FROM events` });
    await saveRetentionSettings(t.db.sql, { rawBodyDays: null, eventDays: 1, rejectedDays: 30 });
    const run = await runRetention(t.db.sql, { now: new Date(cutoff.getTime() + 86_400_000), batchSize: 7 });
    expect(run.events).toBeGreaterThan(0);
    const eventsAfter = await t.db.sql.query<{ n: number }>({ text: `SELECT count(*)::int AS n FROM events` });
    expect(eventsAfter[0]!.n).toBeGreaterThan(0);
    expect(eventsAfter[0]!.n).toBeLessThan(eventsBefore[0]!.n);
    await expectTrue("after retention");
  });
});
