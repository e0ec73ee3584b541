/**
 * Plain SQL on the same connections Prisma uses, for the ingest hot path. Per statement, Prisma's
 * client costs far more CPU than the round trip (query compilation, result mapping, interactive
 * transaction bookkeeping); ingest needs a handful of fixed, set-based statements, so it speaks SQL.
 *
 * Parameters are text, numbers, booleans, null or byte buffers; JSON goes in as text with an
 * explicit `::jsonb` cast and times as ISO strings with `::timestamptz`, so PostgreSQL (pg) and
 * PGlite read them the same way.
 */
import type { PGlite, Transaction as PGliteTransaction } from "@electric-sql/pglite";
import type pg from "pg";

export type SqlParam = string | number | boolean | null | Uint8Array;

export interface SqlQuery {
  text: string;
  params?: SqlParam[];
  /** A statement run on every delivery: prepared once per connection (PostgreSQL). */
  name?: string;
}

export interface Sql {
  query<Row = Record<string, unknown>>(query: SqlQuery): Promise<Row[]>;
  /** Runs `fn` in one transaction (READ COMMITTED), rolled back if it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}

type PgQueryable = Pick<pg.Pool | pg.PoolClient, "query">;

function pgQuery(client: PgQueryable) {
  return async <Row>(query: SqlQuery): Promise<Row[]> => {
    const result = await client.query({ text: query.text, values: query.params ?? [], ...(query.name ? { name: query.name } : {}) });
    return result.rows as Row[];
  };
}

export function pgSql(pool: pg.Pool): Sql {
  return {
    query: pgQuery(pool),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const tx: Sql = {
          query: pgQuery(client),
          transaction: () => Promise.reject(new Error("nested transactions are not supported")),
        };
        const result = await fn(tx);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          // The connection is gone or unusable: it must not go back to the pool.
          broken = rollbackError as Error;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

function pgliteQuery(db: PGlite | PGliteTransaction) {
  return async <Row>(query: SqlQuery): Promise<Row[]> => {
    const result = await db.query<Row>(query.text, query.params ?? []);
    return result.rows;
  };
}

export function pgliteSql(db: PGlite): Sql {
  return {
    query: pgliteQuery(db),
    transaction(fn) {
      return db.transaction((t) =>
        fn({ query: pgliteQuery(t), transaction: () => Promise.reject(new Error("nested transactions are not supported")) }),
      );
    },
  };
}

/** SQLSTATE of a driver error (pg and PGlite both expose `code`). */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
