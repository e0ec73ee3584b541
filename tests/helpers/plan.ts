/**
 * Query plans for the tests that pin how a read is answered (which index, how many rows, no scan):
 * `EXPLAIN (… FORMAT JSON)` of a `{ text, params }` statement, its tree flattened into a list of
 * nodes. The "QUERY PLAN" column is parsed JSON on PostgreSQL (pg) and may come as text on PGlite;
 * both are read the same way.
 */
import type { Sql, SqlQuery } from "@/lib/db/sql";

/** The fields of a plan node the tests read (EXPLAIN gives many more). */
export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  /** On a bitmap heap scan: its index's condition. */
  "Recheck Cond"?: string;
  /** With ANALYZE: rows per loop, and loops. */
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}

/** A node and every node under it, root first. */
export function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/** Rows a node produced over all its loops. */
export const rowsOf = (n: PlanNode) => (n["Actual Rows"] ?? 0) * (n["Actual Loops"] ?? 0);

export interface ExplainOptions {
  /** Runs the statement and reports actual rows and loops (EXPLAIN ANALYZE). */
  analyze?: boolean;
  /** With `analyze`: buffer usage too. */
  buffers?: boolean;
  /**
   * SQL run first in the same transaction (settings with `SET LOCAL` or `set_config(…, true)`),
   * so the plan is the one the statement gets under them. Without it, no transaction is opened.
   */
  setup?: string;
}

/** The plan of `statement` on `sql`, as its nodes, root first (see nodesOf). */
export async function explain(sql: Sql, statement: SqlQuery, options: ExplainOptions = {}): Promise<PlanNode[]> {
  const flags = [...(options.analyze ? ["ANALYZE"] : []), ...(options.buffers ? ["BUFFERS"] : []), "FORMAT JSON"].join(", ");
  const run = (db: Sql) => db.query<{ "QUERY PLAN": unknown }>({ text: `EXPLAIN (${flags}) ${statement.text}`, params: statement.params });
  const { setup } = options;
  const rows = setup === undefined
    ? await run(sql)
    : await sql.transaction(async (tx) => {
        await tx.query({ text: setup });
        return run(tx);
      });
  const raw = rows[0]!["QUERY PLAN"];
  const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  return nodesOf(parsed[0]!.Plan);
}
