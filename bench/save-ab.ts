/**
 * The cost of processing (the database's and the code's), checkout A against checkout B, with the
 * VM's drift taken out: `npx tsx bench/save-ab.ts DIR_A DIR_B [--candidates N]`.
 *
 * Each checkout gets its own PostgreSQL database, migrated from its `prisma/migrations`, and runs its
 * own processing code (loaded from its directory). The same deliveries (the ingest bench's mix of all
 * four providers: simulator histories in global time order) are stored in both, normalized by each
 * side untimed, then saved in the same batches of 14 (the ingest bench's typical batch; SAVE_AB_BATCH)
 * as the ingest queue saves them, batch by batch, alternating which side goes first; every 8 batches
 * (SAVE_AB_DERIVED_EVERY) the work the refresher does after the save runs where the checkout has it
 * (analytics refresh, People linking; SAVE_AB_ROUND_A / _B candidates per call). Every call is timed;
 * the sums per delivery and their ratio B/A are printed. The closed-loop bench (bench/ingest-ab.sh)
 * swings by ±10 % between runs on this 2-core VM; this serial, interleaved run resolves a few per
 * cent. It leaves out receiving and HTTP: for those, bench/ingest-ab.sh. Not a test.
 */
import { performance } from "node:perf_hooks";
import { createHash, randomBytes } from "node:crypto";
import { createScratchDatabase, type ScratchDatabase } from "./lib/scratch-db";
import { existsSync } from "node:fs";
import path from "node:path";

process.env.LOG_LEVEL = "silent";

const args = process.argv.slice(2);
const dirs = args.filter((a) => !a.startsWith("--"));
if (dirs.length !== 2) {
  console.error("usage: npx tsx bench/save-ab.ts DIR_A DIR_B [--candidates N]");
  process.exit(2);
}
const candidatesAt = args.indexOf("--candidates");
const CANDIDATES_PER_PROVIDER = candidatesAt >= 0 ? Number(args[candidatesAt + 1]) : 1_200;
const BATCH = Number(process.env.SAVE_AB_BATCH ?? 14);
const DERIVED_EVERY = Number(process.env.SAVE_AB_DERIVED_EVERY ?? 8);
// Candidates per refresher call, per side (the refresher's roundSize).
const ROUND = { A: Number(process.env.SAVE_AB_ROUND_A ?? 100), B: Number(process.env.SAVE_AB_ROUND_B ?? 100) };

const { buildHistories } = await import("../lib/simulator/build-histories");
type ProviderId = import("../lib/providers/types").ProviderId;
type Db = import("../lib/db/client").Db;
type Sql = import("../lib/db/sql").Sql;
type StoredDelivery = import("../lib/ingest/process-delivery").StoredDelivery;
type NewDelivery = import("../lib/db/deliveries").NewDelivery;

/**
 * A checkout's own processing code, loaded from its directory (its node_modules, its generated
 * client): the save as its ingest queue calls it, and the refresher's two calls where it has them
 * (a version before the analytics queue has none: its save did everything).
 */
interface Code {
  openDb: (options: { databaseUrl: string; poolSize: number }) => Db;
  applyMigrations: (options: { adapterFactory: Db["adapterFactory"]; dir: string }) => Promise<string[]>;
  storeDelivery: (sql: Sql, delivery: NewDelivery) => Promise<unknown>;
  normalizeDelivery: (delivery: StoredDelivery) => unknown;
  save: (sql: Sql, batch: { delivery: StoredDelivery; outcome: unknown }[], newCandidateId: () => string) => Promise<unknown>;
  refresh?: (sql: Sql, before: Date | null, limit: number) => Promise<number>;
  link?: (sql: Sql, before: Date | null, limit: number) => Promise<number>;
}

async function loadCode(dir: string): Promise<Code> {
  const from = (file: string) => import(path.join(dir, file));
  const client = await from("lib/db/client.ts");
  const migrations = await from("lib/db/migrations.ts");
  const deliveries = await from("lib/db/deliveries.ts");
  const events = await from("lib/db/events.ts");
  const processing = await from("lib/ingest/process-delivery.ts");
  const refresh = existsSync(path.join(dir, "lib/db/analytics-refresh.ts")) ? (await from("lib/db/analytics-refresh.ts")).refreshAnalyticsBacklog : undefined;
  const link = refresh ? (await from("lib/db/people-link.ts")).linkQueuedPeople : undefined;
  return {
    openDb: client.openDb,
    applyMigrations: migrations.applyMigrations,
    storeDelivery: deliveries.storeDelivery,
    normalizeDelivery: processing.normalizeDelivery,
    // The queue's call: the batch saved, what follows it left to the refresher.
    save: events.saveProcessingBatch
      ? (sql, batch, next) => events.saveProcessingBatch(sql, batch, next, { afterSave: false })
      : (sql, batch, next) => events.saveProcessingOutcomes(sql, batch, next),
    refresh,
    link,
  };
}

const providers: ProviderId[] = ["greenhouse", "talview", "idibu", "outhire"];
const runId = randomBytes(3).toString("hex");
const planned = providers
  .flatMap((provider) =>
    buildHistories({ provider, candidates: CANDIDATES_PER_PROVIDER, seed: "bench-ingest" }).flatMap((h, ci) =>
      h.deliveries.map((delivery, di) => ({ provider, delivery, id: `dlv_ab_${runId}_${provider}_${ci}_${di}` })),
    ),
  )
  .sort((a, b) => a.delivery.occurredAt.getTime() - b.delivery.occurredAt.getTime() || a.id.localeCompare(b.id));

interface Side {
  label: string;
  scratch: ScratchDatabase;
  code: Code;
  db: Db;
  items: { delivery: StoredDelivery; outcome: unknown }[];
  saveMs: number;
  derivedMs: number;
  refreshMs: number;
  nextCandidate: number;
}

async function side(label: string, dir: string): Promise<Side> {
  const scratch = await createScratchDatabase(`ch_bench_save_ab_${label.toLowerCase()}`);
  const code = await loadCode(path.resolve(dir));
  const db = code.openDb({ databaseUrl: scratch.url, poolSize: 2 });
  await code.applyMigrations({ adapterFactory: db.adapterFactory, dir: path.join(path.resolve(dir), "prisma/migrations") });
  for (const provider of providers) {
    await db.sql.query({ text: "INSERT INTO endpoints (id, provider, name, updated_at) VALUES ($1, $2, $3, now())", params: [`ep_${provider}`, provider, provider] });
  }
  return { label, scratch, code, db, items: [], saveMs: 0, derivedMs: 0, refreshMs: 0, nextCandidate: 0 };
}

const sides = [await side("A", dirs[0]), await side("B", dirs[1])];

// Stored first, untimed: receiving is the same statement on both sides.
const receivedAt = new Date();
const stored = planned.map((p) => ({
  id: p.id,
  endpointId: `ep_${p.provider}`,
  provider: p.provider,
  receivedAt,
  method: p.delivery.method,
  query: new URLSearchParams(p.delivery.query ?? {}).toString(),
  headers: { "content-type": p.delivery.contentType },
  contentType: p.delivery.contentType,
  body: p.delivery.body,
  bodySha256: createHash("sha256").update(p.delivery.body).digest("hex"),
  idempotencyKey: p.id,
  idempotencySource: "bench",
}));
for (const s of sides) {
  for (let i = 0; i < stored.length; i += 50) await Promise.all(stored.slice(i, i + 50).map((d) => s.code.storeDelivery(s.db.sql, d)));
  // Normalized by each side's own providers, untimed (the same work on both sides of a SQL change).
  s.items = stored.map((d) => ({ delivery: d, outcome: s.code.normalizeDelivery(d) }));
}

/** One refresher round (lib/ingest/derived-refresher.ts): how many it did. */
async function derived(s: Side): Promise<number> {
  if (!s.code.refresh || !s.code.link) return 0;
  const t = performance.now();
  const refreshed = await s.code.refresh(s.db.sql, null, ROUND[s.label as "A" | "B"]);
  const t2 = performance.now();
  const linked = await s.code.link(s.db.sql, null, ROUND[s.label as "A" | "B"]);
  s.refreshMs += t2 - t;
  s.derivedMs += performance.now() - t;
  return refreshed + linked;
}

let batches = 0;
for (let i = 0; i < stored.length; i += BATCH) {
  const order = batches % 2 === 0 ? sides : [sides[1], sides[0]];
  for (const s of order) {
    const batch = s.items.slice(i, i + BATCH);
    const t = performance.now();
    await s.code.save(s.db.sql, batch, () => `cand_ab_${s.nextCandidate++}`);
    s.saveMs += performance.now() - t;
  }
  batches++;
  if (batches % DERIVED_EVERY === 0) for (const s of order) await derived(s);
}
for (const s of sides) {
  // What is left queued, until both queues are empty.
  while ((await derived(s)) > 0);
}

const [a, b] = sides;
const per = (ms: number) => ((ms * 1000) / stored.length).toFixed(1);
console.log(`${stored.length} deliveries in ${batches} batches of ${BATCH}; µs per delivery (wall, serial):`);
console.log(`  save     A ${per(a.saveMs)}  B ${per(b.saveMs)}  B/A ${(b.saveMs / a.saveMs).toFixed(3)}`);
const ratio = (x: number, y: number) => (y > 0 ? (x / y).toFixed(3) : "—");
console.log(`  derived  A ${per(a.derivedMs)}  B ${per(b.derivedMs)}  B/A ${ratio(b.derivedMs, a.derivedMs)}`);
console.log(`   of it analytics  A ${per(a.refreshMs)}  B ${per(b.refreshMs)}  B/A ${ratio(b.refreshMs, a.refreshMs)}`);
console.log(`  total    A ${per(a.saveMs + a.derivedMs)}  B ${per(b.saveMs + b.derivedMs)}  B/A ${((b.saveMs + b.derivedMs) / (a.saveMs + a.derivedMs)).toFixed(3)}`);
console.log(`SAVEAB ${per(a.saveMs)} ${per(b.saveMs)} ${per(a.derivedMs)} ${per(b.derivedMs)} ${per(a.refreshMs)} ${per(b.refreshMs)}`);

for (const s of sides) await s.db.close();
if (process.env.BENCH_KEEP_DB !== "1") {
  for (const s of sides) await s.scratch.drop();
} else console.error(`keeping ${sides.map((s) => s.scratch.name).join(", ")}`);
