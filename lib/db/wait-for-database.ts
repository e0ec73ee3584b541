import pg from "pg";
import { isConnectionError } from "./connection-errors";
import { errorMessage } from "../log";

export interface WaitForDatabaseOptions {
  databaseUrl: string;
  /** Give up after this long (DATABASE_WAIT_SECONDS). */
  waitMs: number;
  retryEveryMs?: number;
  /** One line per failed attempt. */
  say: (line: string) => void;
}

/** `postgres://user:secret@host:5432/db` → `host:5432/db`: what to name in a message, never the password. */
export function describeDatabase(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || "5432"}${url.pathname}`;
  } catch {
    return "the DATABASE_URL server";
  }
}

/**
 * At start-up a PostgreSQL server that is not up yet (it is starting alongside us, or restarting)
 * is waited for, one line per attempt. Resolves once it answers; otherwise rejects with the last
 * reason. Errors that are not about reaching it (a wrong password, a missing database) fail at once.
 */
export async function waitForDatabase(options: WaitForDatabaseOptions): Promise<void> {
  const deadline = Date.now() + options.waitMs;
  const every = options.retryEveryMs ?? 2_000;
  const where = describeDatabase(options.databaseUrl);
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (error) {
      const reason = errorMessage(error) || (error as { code?: string }).code || "no answer";
      if (!isConnectionError(error) && !/ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/.test(`${(error as { code?: string }).code} ${reason}`)) {
        throw new Error(`the database at ${where} refused the connection: ${reason}`);
      }
      if (Date.now() + every > deadline) {
        throw new Error(`the database at ${where} is unreachable (${reason}); gave up after ${attempt} attempts in ${Math.round(options.waitMs / 1000)} s`);
      }
      options.say(`database at ${where} not reachable (${reason}); retrying in ${Math.round(every / 1000)} s (attempt ${attempt})`);
      await new Promise((resolve) => setTimeout(resolve, every));
    } finally {
      await client.end().catch(() => {});
    }
  }
}
