/**
 * What People's linking adds to processing: `npx tsx bench/people-link.bench.ts` (~1 min).
 *
 * The same simulator deliveries (four providers, several events per candidate, a quarter of the
 * candidates sharing an email with a record of another provider) are stored in two fresh databases
 * and processed in batches of BATCH with the app's own saveProcessingOutcomes: in one the link step
 * runs as in production, in the other the `link_people` statement is skipped (the SQL handle drops
 * it), which is processing as it was before People. Batches alternate between the two databases
 * (which goes first alternates too), so a machine shared with other work loads both alike. Reported:
 * processing time per delivery with and without linking, per backend. Not a test: no assertions.
 */
import { createHash, randomBytes } from "node:crypto";
import { createScratchDatabase } from "./lib/scratch-db";

process.env.LOG_LEVEL = "silent";
const BATCH = Number(process.env.BENCH_BATCH ?? 50);
const PER_PROVIDER = Number(process.env.BENCH_CANDIDATES ?? 300);

const { openDb } = await import("../lib/db/client");
const { migrateDb } = await import("../lib/db/migrate-configured");
const { storeDeliveries } = await import("../lib/db/deliveries");
const { saveProcessingOutcomes } = await import("../lib/db/events");
const { normalizeDelivery } = await import("../lib/ingest/process-delivery");
const { buildHistories, flattenByTime } = await import("../lib/simulator/build-histories");
const { shareEmails } = await import("../lib/simulator/shared-emails");
const { newId } = await import("../lib/ids");
type Db = import("../lib/db/client").Db;
type Sql = import("../lib/db/sql").Sql;

const providers = ["greenhouse", "talview", "idibu", "outhire"] as const;
const histories = shareEmails(
  providers.map((provider) => buildHistories({ provider, candidates: PER_PROVIDER, seed: "people-link-bench" })),
  Math.floor(PER_PROVIDER / 4),
);
const simulated = histories.flatMap((list, i) => flattenByTime(list).map((d) => ({ provider: providers[i], d })));
simulated.sort((a, b) => a.d.occurredAt.getTime() - b.d.occurredAt.getTime());

async function open(kind: "pglite" | "postgres"): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (kind === "pglite") {
    const db = openDb({});
    await migrateDb(db);
    return { db, drop: () => db.close() };
  }
  const scratch = await createScratchDatabase("ch_bench_people");
  const db = openDb({ databaseUrl: scratch.url, poolSize: 4 });
  await migrateDb(db);
  return {
    db,
    drop: async () => {
      await db.close();
      await scratch.drop();
    },
  };
}

/** The deliveries as stored rows of one endpoint per provider of this database. */
async function stored(db: Db) {
  const endpoints = new Map<string, string>();
  for (const provider of providers) {
    const id = newId("ep");
    await db.sql.query({ text: "INSERT INTO endpoints (id, provider, name, updated_at) VALUES ($1, $2, $3, now())", params: [id, provider, provider] });
    endpoints.set(provider, id);
  }
  const rows = simulated.map(({ provider, d }) => ({
    id: newId("dlv"),
    endpointId: endpoints.get(provider)!,
    provider,
    receivedAt: d.occurredAt,
    method: d.method,
    query: new URLSearchParams(d.query ?? {}).toString(),
    headers: {},
    contentType: d.contentType,
    body: d.body,
    bodySha256: createHash("sha256").update(d.body).digest("hex"),
    idempotencyKey: randomBytes(12).toString("hex"),
    idempotencySource: "bench",
  }));
  for (let i = 0; i < rows.length; i += 500) await storeDeliveries(db.sql, rows.slice(i, i + 500));
  return rows;
}

/** Processing as before People: the link statement is not sent. */
function withoutLinking(sql: Sql): Sql {
  return { query: (q) => (q.name === "link_people" ? Promise.resolve([]) : sql.query(q)), transaction: (fn) => sql.transaction(fn) };
}

for (const kind of ["pglite", "postgres"] as const) {
  const linked = await open(kind);
  const plain = await open(kind);
  const a = await stored(linked.db);
  const b = await stored(plain.db);
  const time = { linked: 0, plain: 0 };
  const run = async (which: "linked" | "plain", i: number) => {
    const rows = (which === "linked" ? a : b).slice(i, i + BATCH);
    const items = rows.map((delivery) => ({ delivery, outcome: normalizeDelivery(delivery) }));
    const sql = which === "linked" ? linked.db.sql : withoutLinking(plain.db.sql);
    const start = performance.now();
    await saveProcessingOutcomes(sql, items, () => newId("cand"));
    time[which] += performance.now() - start;
  };
  for (let i = 0, n = 0; i < a.length; i += BATCH, n++) {
    if (n % 2 === 0) {
      await run("linked", i);
      await run("plain", i);
    } else {
      await run("plain", i);
      await run("linked", i);
    }
  }
  const [people] = await linked.db.sql.query<{ people: number; candidates: number; shared: number }>({
    text: `SELECT (SELECT count(*)::int FROM people) AS people, (SELECT count(*)::int FROM candidates) AS candidates,
                  (SELECT count(*)::int FROM (SELECT person_id FROM person_members GROUP BY person_id HAVING count(*) > 1) x) AS shared`,
  });
  const per = (ms: number) => ((ms / a.length) * 1000).toFixed(0);
  console.log(
    `${kind}: ${a.length} deliveries in batches of ${BATCH}; processing ${per(time.plain)} µs/delivery without linking, ${per(time.linked)} µs with ` +
      `(${(((time.linked - time.plain) / time.plain) * 100).toFixed(1)} %); ${people.candidates} records → ${people.people} people, ${people.shared} in more than one record`,
  );
  await linked.drop();
  await plain.drop();
}
process.exit(0);
