import { randomBytes } from "node:crypto";
import pg from "pg";

/** The local PostgreSQL server the benchmarks create their databases on. */
export const benchAdminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface ScratchDatabase {
  name: string;
  /** Its connection string. */
  url: string;
  /** Drops it, connections and all (a run that failed midway can leave some open). */
  drop(): Promise<void>;
}

/** An empty database of its own for one benchmark run, named `${prefix}_<time>_<random>`; the caller migrates it. */
export async function createScratchDatabase(prefix: string, adminUrl = benchAdminUrl): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}
