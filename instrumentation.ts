export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ getDb }, { startRecoveryLoop, RECOVERY_LOOP_STARTED }, { startChangedPathsLoop }, { ingestBusy }, { startRetentionLoop }, { startFlowRollupCompaction }] = await Promise.all([
    import("./lib/db/client"),
    import("./lib/ingest/recover-unprocessed"),
    import("./lib/jobs/changed-paths-fill"),
    import("./lib/ingest/ingest-load"),
    import("./lib/retention/retention"),
    import("./lib/jobs/flow-rollup-compact"),
  ]);
  // `npm start` (scripts/serve.ts) starts it before Next.js prepares; `next start` / `next dev` here.
  if (!(globalThis as Record<symbol, unknown>)[RECOVERY_LOOP_STARTED]) startRecoveryLoop(() => getDb());
  startChangedPathsLoop(() => getDb().sql, { busy: ingestBusy });
  // Daily, once per cluster (a lease in retention_state), giving way to ingest bursts.
  startRetentionLoop(() => getDb().sql, { busy: ingestBusy });
  // The analytics flow's rollup deltas, folded once enough pile up.
  startFlowRollupCompaction(() => getDb().sql);
}
