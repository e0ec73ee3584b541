import { getEnv } from "../env";
import { openDb, pgliteDirFor, type Db } from "./client";
import { applyMigrations } from "./migrations";

// Any fixed 64-bit number works; it only has to be the same for every instance of the app.
const MIGRATION_LOCK_ID = 7_315_042_611;

/**
 * Applies migrations to an open database. On PostgreSQL, several app instances may start at
 * once: an advisory lock makes them take turns, and the later ones find nothing to apply.
 */
export async function migrateDb(db: Db): Promise<string[]> {
  if (db.kind !== "postgres") return applyMigrations({ adapterFactory: db.adapterFactory });
  let applied: string[] = [];
  await db.prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
      applied = await applyMigrations({ adapterFactory: db.adapterFactory });
    },
    { timeout: 120_000, maxWait: 120_000 },
  );
  return applied;
}
export async function migrateConfiguredDb(): Promise<string[]> {
  const env = getEnv();
  const db = openDb({ databaseUrl: env.DATABASE_URL, pgliteDir: env.DATABASE_URL ? undefined : pgliteDirFor(env.dataDir), poolSize: 2 });
  try {
    const applied = await migrateDb(db);
    // Imported lazily: migrations must not need SECRET_KEY unless there is something to encrypt.
    const { encryptLegacySecrets } = await import("../endpoints/encrypt-legacy-secrets");
    await encryptLegacySecrets(db.prisma);
    return applied;
  } finally {
    await db.close();
  }
}
