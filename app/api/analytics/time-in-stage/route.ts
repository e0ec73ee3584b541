import { analyticsQuerySchema } from "@/lib/contracts/analytics";
import { analyticsFilters, csvResponse, getTimeInStage, timeInStageCsv } from "@/lib/analytics/service";
import { adminRoute, readQuery } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Median and p90 time per stage over completed stays, with the open ones counted (README "Pipeline analytics"). */
export const GET = adminRoute(async ({ sql, url }) => {
  const query = readQuery(url, analyticsQuerySchema);
  const result = await getTimeInStage(sql, analyticsFilters(query));
  return query.format === "csv" ? csvResponse("time-in-stage", query, timeInStageCsv(result)) : result;
}, "read");
