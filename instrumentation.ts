export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ getDb }, { startRecoveryLoop }, { startChangedPathsLoop }, { ingestBusy }, { startRetentionLoop }] = await Promise.all([
    import("./lib/db/client"),
    import("./lib/ingest/recover-unprocessed"),
    import("./lib/jobs/changed-paths-fill"),
    import("./lib/ingest/ingest-load"),
    import("./lib/retention/retention"),
  ]);
  startRecoveryLoop(() => getDb());
  startChangedPathsLoop(() => getDb().sql, { busy: ingestBusy });
  // Daily, once per cluster (a lease in retention_state), giving way to ingest bursts.
  startRetentionLoop(() => getDb().sql, { busy: ingestBusy });
}
