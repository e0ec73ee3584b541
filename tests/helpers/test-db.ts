import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDb, type Db } from "@/lib/db/client";
import { migrateDb } from "@/lib/db/migrate-configured";

export type DbKind = "pglite" | "postgres";

/** The local PostgreSQL server; each test file makes its own database and drops it afterwards. */
export const postgresAdminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDb {
  db: Db;
  kind: DbKind;
  databaseUrl: string | null;
  drop(): Promise<void>;
}

export async function createTestDb(kind: DbKind): Promise<TestDb> {
  if (kind === "pglite") {
    const db = openDb({});
    await migrateDb(db);
    return { db, kind, databaseUrl: null, drop: () => db.close() };
  }
  const name = `ch_test_${Date.now()}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const db = openDb({ databaseUrl, poolSize: 20 });
  await migrateDb(db);
  return {
    db,
    kind,
    databaseUrl,
    drop: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: postgresAdminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
