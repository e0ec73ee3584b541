import { recordAudit } from "../auth/audit";
import type { AdminContext } from "../http/admin-route";
import { readJson } from "../http/admin-route";
import { getRetentionSettings, runRetention, saveRetentionSettings } from "../retention/retention";
import { ingestBusy } from "../ingest/ingest-load";
import { HttpError } from "../http/errors";
import { retentionSettingsInputSchema } from "../contracts/requests";

/** GET /api/settings/retention */
export async function handleGetRetention({ sql }: AdminContext<unknown>) {
  return getRetentionSettings(sql);
}

/** PUT /api/settings/retention {rawBodyDays, eventDays, rejectedDays}: null keeps raw bodies / events forever. */
export async function handlePutRetention({ request, sql }: AdminContext<unknown>) {
  return saveRetentionSettings(sql, await readJson(request, retentionSettingsInputSchema));
}

/**
 * POST /api/retention/run: runs retention now and answers its counts; 409 when another instance's
 * run holds the lease. Audited here with the counts (adminRoute's entry would not have them).
 */
export async function handleRunRetention({ sql, principal }: AdminContext<unknown>) {
  const result = await runRetention(sql, { busy: ingestBusy });
  if (!result.ran) throw new HttpError(409, "retention_running", "a retention run is in progress on another instance; try again when it is done");
  await recordAudit(sql, { actor: principal.actor, action: "retention.run", target: null, details: { via: "api", ...result } });
  return result;
}
