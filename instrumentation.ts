export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ getDb }, { startRecoveryLoop }] = await Promise.all([
    import("./lib/db/client"),
    import("./lib/ingest/recover-unprocessed"),
  ]);
  startRecoveryLoop(() => getDb());
}
