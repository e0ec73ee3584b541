/**
 * Which version of the changed-paths rules the stored values were computed with, kept in the
 * one-row table `changed_paths_state`, so a start reads one row instead of walking every event.
 *
 * Only when the running version differs from the stored one is there work: the values of other
 * versions are set back to NULL (the fill then recomputes them), in small keyset batches over the
 * events' primary key. One instance of the cluster does it: it holds a lease in the same row
 * (owner and expiry, renewed with every batch), and the progress (the last id cleared) is stored
 * with each batch, in the batch's transaction, so an instance that stops — paused by a burst of
 * deliveries, a deploy, a crash — is resumed where it stopped by whichever instance comes next.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { clearOtherVersions } from "./changed-paths-queries";
import type { Sql } from "./sql";

/** This process, as the lease owner. */
export const processLeaseOwner = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

interface StateRow {
  version: number | null;
  target: number | null;
  cleared_after: string | null;
}

export async function readChangedPathsState(sql: Sql): Promise<StateRow | null> {
  const rows = await sql.query<StateRow>({ text: `SELECT version, target, cleared_after FROM changed_paths_state WHERE id = 1` });
  return rows[0] ?? null;
}

/**
 * Takes (or renews) the lease to clear towards `version`, unless the stored values are already of
 * that version or another live owner holds it. Returns where to resume, or null when there is
 * nothing for this instance to do. A clear towards another target starts over from the first id.
 */
async function claimClear(sql: Sql, version: number, owner: string, leaseMs: number): Promise<{ after: string | null } | null> {
  const rows = await sql.query<{ cleared_after: string | null }>({
    text: `INSERT INTO changed_paths_state AS s (id, version, target, cleared_after, lease_owner, lease_until)
           VALUES (1, NULL, $1, NULL, $2, now() + $3 * interval '1 millisecond')
           ON CONFLICT (id) DO UPDATE SET
             target = $1,
             cleared_after = CASE WHEN s.target = $1 THEN s.cleared_after END,
             lease_owner = $2,
             lease_until = excluded.lease_until
           WHERE s.version IS DISTINCT FROM $1
             AND (s.lease_owner IS NULL OR s.lease_owner = $2 OR s.lease_until < now())
           RETURNING cleared_after`,
    params: [version, owner, leaseMs],
  });
  return rows.length === 0 ? null : { after: rows[0].cleared_after };
}

async function releaseLease(sql: Sql, owner: string): Promise<void> {
  await sql.query({ text: `UPDATE changed_paths_state SET lease_owner = NULL, lease_until = NULL WHERE id = 1 AND lease_owner = $1`, params: [owner] });
}

export interface EnsureVersionOptions {
  owner?: string;
  /** Event ids per batch (one short transaction each). */
  chunk?: number;
  /** How long the lease outlives its last batch: another instance takes over after that. */
  leaseMs?: number;
  /** Checked before each batch: true stops (the lease is released; the next call resumes). */
  pause?: () => boolean;
  signal?: AbortSignal;
}

export type EnsureVersionResult =
  /** The stored values are of this version: nothing was done. */
  | { state: "current"; cleared: number }
  /** This call finished the clear: the stored version is now this one. */
  | { state: "done"; cleared: number }
  /** Another instance holds the lease, or this one was paused or lost its lease: not finished. */
  | { state: "unfinished"; cleared: number };

/**
 * Makes every stored changed-paths value one of `version` (or NULL), as described above. When the
 * stored version already matches — every start but the first after an upgrade — it is one read.
 */
export async function ensureChangedPathsVersion(sql: Sql, version: number, options: EnsureVersionOptions = {}): Promise<EnsureVersionResult> {
  const owner = options.owner ?? processLeaseOwner;
  const chunk = Math.max(1, Math.floor(options.chunk ?? 2_000));
  const leaseMs = options.leaseMs ?? 60_000;
  const state = await readChangedPathsState(sql);
  if (state?.version === version) return { state: "current", cleared: 0 };
  const claim = await claimClear(sql, version, owner, leaseMs);
  if (!claim) {
    const now = await readChangedPathsState(sql);
    return { state: now?.version === version ? "current" : "unfinished", cleared: 0 };
  }
  let after = claim.after;
  let cleared = 0;
  for (;;) {
    if (options.signal?.aborted || options.pause?.()) {
      await releaseLease(sql, owner);
      return { state: "unfinished", cleared };
    }
    const step = await sql.transaction(async (tx) => {
      // The row lock orders batches against a takeover; the owner check ends a lease that expired.
      const held = await tx.query({
        text: `SELECT 1 FROM changed_paths_state WHERE id = 1 AND lease_owner = $1 AND target = $2 FOR UPDATE`,
        params: [owner, version],
      });
      if (held.length === 0) return null;
      const result = await clearOtherVersions(tx, version, after, chunk);
      if (result.lastId) {
        await tx.query({
          text: `UPDATE changed_paths_state SET cleared_after = $2, lease_until = now() + $3 * interval '1 millisecond' WHERE id = 1 AND lease_owner = $1`,
          params: [owner, result.lastId, leaseMs],
        });
      } else {
        await tx.query({
          text: `UPDATE changed_paths_state SET version = target, target = NULL, cleared_after = NULL, lease_owner = NULL, lease_until = NULL
                 WHERE id = 1 AND lease_owner = $1`,
          params: [owner],
        });
      }
      return result;
    });
    if (!step) return { state: "unfinished", cleared };
    cleared += step.cleared;
    if (!step.lastId) return { state: "done", cleared };
    after = step.lastId;
    // Yield between batches: requests and deliveries keep being served.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
