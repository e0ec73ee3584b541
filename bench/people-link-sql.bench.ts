/**
 * The link statement alone, today's `link_people` against the first version's (the loop of migration
 * 20261202160702_people, created beside it as `link_people_before`): `npx tsx bench/people-link-sql.bench.ts`
 * (~1 min, PostgreSQL). One fresh database with 20,000 candidates already linked; each round, for each
 * function (which goes first alternates), three batches of BENCH_BATCH records:
 *   - steady: records already linked, each with a new event (their last event moved);
 *   - new, fresh email: new records whose email no one has;
 *   - new, email of a linked record: new records that join an existing person.
 * Reported per batch: the database backend's CPU time (from /proc: Linux, PostgreSQL on this machine; sampled at 10 ms ticks, so
 * only the average over all rounds means something) and the wall time of the statement. Both functions
 * run on the same tables, so a cost that grows with the tables grows for both. Not a test.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { createScratchDatabase } from "./lib/scratch-db";

process.env.LOG_LEVEL = "silent";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const BATCH = Number(process.env.BENCH_BATCH ?? 40);

const pg = (await import("pg")).default;
const { openDb } = await import("../lib/db/client");
const { migrateDb } = await import("../lib/db/migrate-configured");
const { migrationsDir } = await import("../lib/db/migrations");

const scratch = await createScratchDatabase("ch_bench_link_sql");
const db = openDb({ databaseUrl: scratch.url, poolSize: 2 });
await migrateDb(db);
await db.close();

const c = new pg.Client({ connectionString: scratch.url });
await c.connect();
const pid: number = (await c.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
const cpuMs = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};

// The first version, as its migration wrote it (it calls today's normalize_email, so the two differ
// only in how they link).
const first = readFileSync(path.join(migrationsDir, "20261202160702_people", "migration.sql"), "utf8");
const start = first.indexOf("CREATE FUNCTION link_people");
await c.query(first.slice(start, first.indexOf("$fn$;", start) + 5).replace("CREATE FUNCTION link_people", "CREATE FUNCTION link_people_before"));

await c.query(`INSERT INTO candidates (id, provider, external_id, name, email, status, first_seen_at, last_event_at, updated_at)
               SELECT 'c' || i, 'idibu', 'e' || i, 'Name ' || i, 'p' || i || '@example.com', 'active', now(), now(), now()
               FROM generate_series(1, 20000) i`);
await c.query(`SELECT link_people((SELECT jsonb_agg(jsonb_build_object('provider', 'idibu', 'external_id', 'e' || i, 'person_id', 'per_' || i))
                                   FROM generate_series(1, 20000) i), false)`);
await c.query("VACUUM ANALYZE");

const cpu = new Map<string, number>();
const wall = new Map<string, number>();
const keys = (provider: string, ids: string[]) => JSON.stringify(ids.map((id) => ({ provider, external_id: id, person_id: `per_${id}` })));
async function link(label: string, fn: string, json: string) {
  const [c0, w0] = [cpuMs(), performance.now()];
  await c.query({ text: `SELECT ${fn}($1::jsonb)`, values: [json] });
  cpu.set(label, (cpu.get(label) ?? 0) + cpuMs() - c0);
  wall.set(label, (wall.get(label) ?? 0) + performance.now() - w0);
}
async function newRecords(email: (i: number) => string): Promise<string[]> {
  const ids = Array.from({ length: BATCH }, () => `n${++seq}`);
  await c.query({
    text: `INSERT INTO candidates (id, provider, external_id, name, email, status, first_seen_at, last_event_at, updated_at)
           SELECT x, 'talview', x, 'Name ' || x, e, 'active', now(), now(), now() FROM unnest($1::text[], $2::text[]) AS t(x, e)`,
    values: [ids, ids.map((_, i) => email(i))],
  });
  return ids;
}

let seq = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const fn of round % 2 ? ["link_people", "link_people_before"] : ["link_people_before", "link_people"]) {
    const linked = Array.from({ length: BATCH }, () => 1 + Math.floor(Math.random() * 20000));
    await c.query({
      text: "UPDATE candidates SET last_event_at = last_event_at + interval '1 minute' WHERE id = ANY ($1::text[])",
      values: [linked.map((i) => `c${i}`)],
    });
    await link(`${fn}|steady (linked, new event)`, fn, keys("idibu", linked.map((i) => `e${i}`)));
    await link(`${fn}|new, fresh email`, fn, keys("talview", await newRecords((i) => `fresh.${seq}.${i}@example.com`)));
    await link(`${fn}|new, email of a linked record`, fn, keys("talview", await newRecords(() => `p${1 + Math.floor(Math.random() * 20000)}@example.com`)));
  }
}

const [load] = readFileSync("/proc/loadavg", "utf8").split(" ");
console.log(`link statement per batch of ${BATCH}, ${ROUNDS} rounds, PostgreSQL, 20,000 linked candidates; load average ${load}`);
for (const batch of ["steady (linked, new event)", "new, fresh email", "new, email of a linked record"]) {
  const fig = (fn: string) => `${(cpu.get(`${fn}|${batch}`)! / ROUNDS).toFixed(2)} ms CPU, ${(wall.get(`${fn}|${batch}`)! / ROUNDS).toFixed(2)} ms wall`;
  const ratio = cpu.get(`link_people|${batch}`)! / cpu.get(`link_people_before|${batch}`)!;
  console.log(`${batch.padEnd(30)} today: ${fig("link_people")}; first version: ${fig("link_people_before")} (CPU ratio ${ratio.toFixed(2)})`);
}
await c.end();
await scratch.drop();
process.exit(0);
