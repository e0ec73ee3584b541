import { getOverviewStats } from "../db/stats";
import type { AdminContext } from "../http/admin-route";
import { readQuery } from "../http/admin-route";
import { statsQuerySchema } from "../contracts/requests";
import { loadStageNames } from "../db/stage-names";
import { ATTENTION_REJECT_WINDOW_DAYS, STATS_DAYS } from "../contracts/stats";

/** GET /api/stats: the overview's numbers; the recent events show stages by the names given in Settings. */
export async function handleOverviewStats({ sql, url }: AdminContext<unknown>) {
  const includeTest = readQuery(url, statsQuerySchema).includeTest;
  const [stats, nameStage] = await Promise.all([
    getOverviewStats(sql, { days: STATS_DAYS, rejectWindowDays: ATTENTION_REJECT_WINDOW_DAYS, includeTest }),
    loadStageNames(sql),
  ]);
  return { ...stats, recentEvents: stats.recentEvents.map(({ endpointId, ...e }) => ({ ...e, stageTo: nameStage(e.stageTo, { provider: e.provider, endpointId }) })) };
}
