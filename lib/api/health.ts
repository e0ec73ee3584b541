import { getDb } from "../db/client";
import { jsonResponse } from "../http/json";
import { errorMessage, logEvent } from "../log";

/** Public: load balancers poll it. Says whether the database answers, nothing more. */
export async function handleHealth(): Promise<Response> {
  const db = getDb();
  try {
    await db.prisma.$queryRaw`SELECT 1`;
    return jsonResponse(200, { ok: true, database: db.kind });
  } catch (error) {
    logEvent("error", "health check: database unavailable", { error: errorMessage(error) });
    return jsonResponse(503, { ok: false, database: db.kind, error: "storage_unavailable" });
  }
}
