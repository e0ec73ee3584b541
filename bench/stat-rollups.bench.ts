/**
 * What the overview rollups' triggers (migration stat_rollups) add to a write, isolated from the
 * noise of a whole-app ingest run: `npx tsx bench/stat-rollups.bench.ts [--rounds R] [--writes N]`.
 *
 * On a PostgreSQL database it creates and drops, each "write" is one transaction shaped like the
 * processing of a delivery: a candidate, a delivery and EVENTS events inserted, then the delivery's
 * status updated (the UPDATE fires no rollup trigger: its columns are not counted). Rounds alternate
 * with the rollup triggers enabled and disabled (ALTER TABLE … DISABLE TRIGGER), so both see the same
 * machine load; reported: the median per-write time of each, and the difference. Not a test.
 */
import { performance } from "node:perf_hooks";
import { createTestDb } from "../tests/helpers/test-db";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i !== -1 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const ROUNDS = Number(arg("rounds", "6"));
const WRITES = Number(arg("writes", "400"));
const EVENTS = Number(arg("events", "3"));

process.env.LOG_LEVEL = "silent";
const t = await createTestDb("postgres");
const sql = t.db.sql;
await sql.query({ text: `INSERT INTO endpoints (id, provider, name, created_at, updated_at) VALUES ('ep_bench', 'greenhouse', 'bench', now(), now())` });

const triggers = ["events", "candidates", "deliveries"].flatMap((table) => ["inserted", "deleted", "updated"].map((t) => [table, `stat_rollups_${t}`]));
const setTriggers = async (on: boolean) => {
  for (const [table, name] of triggers) await sql.query({ text: `ALTER TABLE ${table} ${on ? "ENABLE" : "DISABLE"} TRIGGER ${name}` });
};

let serial = 0;
async function write() {
  const tag = `b${serial++}`;
  await sql.transaction(async (tx) => {
    await tx.query({
      name: "bench_rollup_write",
      text: `WITH c AS (
               INSERT INTO candidates (id, provider, external_id, first_seen_at, last_event_at, created_at, updated_at)
               VALUES ('cand_' || $1, 'greenhouse', $1, now(), now(), now(), now()) RETURNING id
             ), d AS (
               INSERT INTO deliveries (id, endpoint_id, provider, received_at, status, method, headers, body, body_sha256, idempotency_key, idempotency_source)
               VALUES ('dlv_' || $1, 'ep_bench', 'greenhouse', now(), 'received', 'POST', '{}'::jsonb, '\\x7b7d'::bytea, $1, $1, 'bench') RETURNING id
             )
             INSERT INTO events (id, delivery_id, seq, endpoint_id, candidate_id, provider, provider_event, type, occurred_at, received_at, snapshot)
             SELECT 'evt_' || $1 || '_' || g, d.id, g, 'ep_bench', c.id, 'greenhouse', 'candidate_stage_change', CASE WHEN g = 1 THEN 'created' ELSE 'stage_changed' END,
                    now(), now(), '{}'::jsonb
             FROM c, d, generate_series(1, $2::int) g`,
      params: [tag, EVENTS],
    });
    await tx.query({ name: "bench_rollup_status", text: `UPDATE deliveries SET status = 'processed' WHERE id = 'dlv_' || $1`, params: [tag] });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (let i = 0; i < 100; i++) await write(); // warm-up: plans, caches
const perWrite: Record<"on" | "off", number[]> = { on: [], off: [] };
for (let round = 0; round < ROUNDS * 2; round++) {
  const on = round % 2 === 0;
  await setTriggers(on);
  const t0 = performance.now();
  for (let i = 0; i < WRITES; i++) await write();
  perWrite[on ? "on" : "off"].push((performance.now() - t0) / WRITES);
}
await setTriggers(true);
const [on, off] = [median(perWrite.on), median(perWrite.off)];
const [{ deltas }] = await sql.query<{ deltas: string }>({ text: `SELECT count(*)::text AS deltas FROM stat_rollups WHERE NOT folded` });
console.log(`per write (1 candidate, 1 delivery, ${EVENTS} events, 1 status update), median of ${ROUNDS} rounds of ${WRITES}:`);
console.log(`  rollup triggers on:  ${on.toFixed(3)} ms`);
console.log(`  rollup triggers off: ${off.toFixed(3)} ms`);
console.log(`  difference: ${(on - off).toFixed(3)} ms (${(((on - off) / off) * 100).toFixed(1)}%); delta rows appended: ${deltas}`);
console.log(JSON.stringify({ bench: "stat-rollups", rounds: ROUNDS, writes: WRITES, events: EVENTS, onMs: on, offMs: off, all: perWrite }));
await t.drop();
