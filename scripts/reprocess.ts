// `npm run reprocess`: rebuilds normalized events and histories from the stored raw deliveries,
// on the configured database (DATABASE_URL, else PGlite in DATA_DIR). Stop the app first when
// running on PGlite: one embedded database serves one process.
import { fillChangedPaths } from "../lib/jobs/changed-paths-fill";
import { openDb, pgliteDirFor } from "../lib/db/client";
import { migrateDb } from "../lib/db/migrate-configured";
import { getEnv } from "../lib/env";
import { reprocessAll } from "../lib/ingest/reprocess-all";

const env = getEnv();
const db = openDb({ databaseUrl: env.DATABASE_URL, pgliteDir: env.DATABASE_URL ? undefined : pgliteDirFor(env.dataDir), poolSize: 2 });
const started = Date.now();

function bar(done: number, total: number, failed: number): string {
  const width = 30;
  const ratio = total === 0 ? 1 : done / total;
  const filled = Math.round(ratio * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${(ratio * 100).toFixed(0)}%${failed ? `, ${failed} errors` : ""}`;
}

try {
  await migrateDb(db);
  const result = await reprocessAll(db, {
    onProgress: (p) => process.stderr.write(`\r${bar(p.done, p.total, p.failed)}`),
  });
  process.stderr.write(`\r${bar(result.done, result.total, result.failed)}\n`);
  const statuses = Object.entries(result.byStatus).map(([s, n]) => `${n} ${s}`).join(", ") || "nothing to do";
  console.log(`reprocessed ${result.done} deliveries in ${((Date.now() - started) / 1000).toFixed(1)} s: ${statuses}`);
  if (result.removedCandidates) console.log(`removed ${result.removedCandidates} candidates left without events`);
  for (const e of result.errors) console.log(`  ${e.deliveryId}: ${e.error}`);
  // The rebuilt events' changed paths (what the CSV export lists), which the app's sweep would fill otherwise.
  const filled = await fillChangedPaths(db.sql);
  console.log(`stored the changed paths of ${filled.written} events`);
  await db.close();
  process.exit(result.failed > 0 ? 1 : 0);
} catch (error) {
  console.error(`reprocess failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
