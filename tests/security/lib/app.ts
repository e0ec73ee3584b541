import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { adminFetch, requireBuild, startApp, type AppServer } from "../../helpers/app-server";

export interface ProbedApp {
  app: AppServer;
  /** An idibu endpoint (unsigned: any body reaches it). */
  endpointId: string;
  dataDir: string;
  /** Kills the server and removes its DATA_DIR. */
  stop(): Promise<void>;
}

/** The built app in a fresh DATA_DIR (after `prepare`, if given), with one idibu endpoint. */
export async function startProbedApp(options: { name: string; databaseUrl?: string | null; env?: Record<string, string>; prepare?: (dataDir: string) => void }): Promise<ProbedApp> {
  requireBuild();
  const dataDir = mkdtempSync(path.join(tmpdir(), `${options.name}-`));
  options.prepare?.(dataDir);
  const app = await startApp({ dataDir, databaseUrl: options.databaseUrl, env: options.env });
  const stop = async () => {
    await app.kill();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const created = await adminFetch(app, "/api/endpoints", { method: "POST", body: { provider: "idibu", name: options.name } });
  if (created.status !== 201) {
    await stop();
    throw new Error(`creating the endpoint: ${created.status} ${created.text.slice(0, 300)}`);
  }
  return { app, endpointId: created.json.id, dataDir, stop };
}
