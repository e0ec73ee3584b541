import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pgliteExtensions, pgliteWithExtensions } from "./pglite-extensions";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { getEnv } from "../env";
import { makeDataDirPrivate } from "../private-files";
import { PrismaClient } from "./generated/client";
import { pgliteSql, pgSql, type Sql } from "./sql";

export type Prisma = PrismaClient;

export interface Db {
  prisma: PrismaClient;
  /** Plain SQL on the same pool (or PGlite instance) as `prisma`: the ingest hot path. */
  sql: Sql;
  kind: "postgres" | "pglite";
  /** A second factory on the same database, for the migration engine. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The PostgreSQL pool's connections (for /metrics); absent on PGlite. */
  poolStats?: () => { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export interface OpenDbOptions {
  databaseUrl?: string;
  /** PGlite data directory; omit for an in-memory database (tests). */
  pgliteDir?: string;
  /** Pool size per process on PostgreSQL. */
  poolSize?: number;
}

export function openDb(options: OpenDbOptions): Db {
  if (options.databaseUrl) {
    // One pool for Prisma and plain SQL, so the connection budget per instance is `poolSize`.
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // Fail fast when the server is down so webhook senders get a 503 instead of hanging.
      connectionTimeoutMillis: 5_000,
    });
    // An idle connection the server drops (restart, outage) must not crash the process.
    pool.on("error", () => {});
    const adapterFactory = new PrismaPg(pool);
    const prisma = new PrismaClient({ adapter: adapterFactory });
    let closed = false;
    return {
      prisma,
      sql: pgSql(pool),
      kind: "postgres",
      adapterFactory,
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: async () => {
        await prisma.$disconnect();
        if (closed) return;
        closed = true;
        await pool.end();
      },
    };
  }
  if (options.pgliteDir) makeDataDirPrivate(options.pgliteDir);
  const pglite = new PGlite({ dataDir: options.pgliteDir, extensions: pgliteExtensions });
  // Files PostgreSQL writes with fopen (the relcache init file at start, statistics at shutdown)
  // come out 0644 whatever the process umask: made owner-only again once it is up and once closed.
  const restrict = () => {
    if (options.pgliteDir) makeDataDirPrivate(options.pgliteDir);
  };
  pglite.waitReady.then(restrict, () => {});
  const adapterFactory = pgliteWithExtensions(pglite);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    sql: pgliteSql(pglite),
    kind: "pglite",
    adapterFactory,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      restrict();
    },
  };
}

/** Where the embedded database lives when no DATABASE_URL is set. */
export function pgliteDirFor(dataDir: string): string {
  return path.join(dataDir, "pglite");
}

const globalForDb = globalThis as unknown as { candidateHistoryDb?: Db };

/** One client per process, kept on globalThis because dev mode reloads modules. */
export function getDb(): Db {
  if (!globalForDb.candidateHistoryDb) {
    const env = getEnv();
    globalForDb.candidateHistoryDb = openDb({
      databaseUrl: env.DATABASE_URL,
      pgliteDir: env.DATABASE_URL ? undefined : pgliteDirFor(env.dataDir),
    });
  }
  return globalForDb.candidateHistoryDb;
}

/** Tests and scripts that open their own database make the routes use it. */
export function setDb(db: Db | undefined): void {
  globalForDb.candidateHistoryDb = db;
}
