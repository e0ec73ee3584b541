// `npm run erase -- <candidate id | provider:provider-id> …`: erases candidates (and the records
// merged into them) on the configured database (DATABASE_URL, else PGlite in DATA_DIR), as the
// candidate page's Erase button does. Stop the app first when running on PGlite: one embedded
// database serves one process. Prints the erasure record (no personal data).
import { openDb, pgliteDirFor } from "../lib/db/client";
import { migrateDb } from "../lib/db/migrate-configured";
import { eraseCandidates } from "../lib/erasure/erase";
import { getEnv } from "../lib/env";

const args = process.argv.slice(2).filter((a) => a !== "--");
if (args.length === 0) {
  console.error("usage: npm run erase -- <candidate id (cand_…) | provider:provider-id> …");
  process.exit(2);
}

const env = getEnv();
const db = openDb({ databaseUrl: env.DATABASE_URL, pgliteDir: env.DATABASE_URL ? undefined : pgliteDirFor(env.dataDir), poolSize: 2 });
try {
  await migrateDb(db);
  const ids: string[] = [];
  for (const arg of args) {
    const colon = arg.indexOf(":");
    const found =
      colon > 0 && !arg.startsWith("cand_")
        ? await db.prisma.candidate.findUnique({ where: { provider_externalId: { provider: arg.slice(0, colon), externalId: arg.slice(colon + 1) } }, select: { id: true } })
        : await db.prisma.candidate.findUnique({ where: { id: arg }, select: { id: true } });
    if (!found) {
      console.error(`no candidate "${arg}"`);
      await db.close();
      process.exit(1);
    }
    ids.push(found.id);
  }
  const result = await eraseCandidates(db, ids, { actor: `cli ${process.env.USER ?? ""}`.trim(), via: "cli" });
  const c = result!.counts;
  console.log(`erasure ${result!.id} at ${result!.at.toISOString()}: ${c.candidates} candidates, ${c.events} events, ${c.deliveries} deliveries made bodiless, ${c.idempotencyKeys} idempotency keys`);
  await db.close();
  process.exit(0);
} catch (error) {
  console.error(`erase failed: ${error instanceof Error ? error.message : String(error)}`);
  await db.close().catch(() => {});
  process.exit(1);
}
