export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ getDb }, { startRecoveryLoop }, { startChangedPathsLoop }, { ingestBusy }] = await Promise.all([
    import("./lib/db/client"),
    import("./lib/ingest/recover-unprocessed"),
    import("./lib/db/changed-paths-fill"),
    import("./lib/ingest/ingest-load"),
  ]);
  startRecoveryLoop(() => getDb());
  startChangedPathsLoop(() => getDb().sql, { busy: ingestBusy });
}
